import GRDB

/// The database schema, as versioned migrations. The schema is the contract: what the rules
/// forbid (editing an issued notice, deleting a contract, rewriting the audit log), SQLite
/// refuses too.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-register-and-notices") { db in
            try db.execute(sql: """
                CREATE TABLE district (
                    code TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    createdAt TEXT NOT NULL
                ) WITHOUT ROWID;

                -- Monotonic counters: contract numbers, notice numbers per year. Never decremented.
                CREATE TABLE counter (
                    name TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE contract (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    districtCode TEXT NOT NULL REFERENCES district(code),
                    tenantName TEXT NOT NULL,
                    personalNumber TEXT NOT NULL
                        CHECK (length(personalNumber) = 12 AND personalNumber NOT GLOB '*[^0-9]*'),
                    address TEXT NOT NULL,
                    objectId TEXT,
                    startDate TEXT NOT NULL,
                    endDate TEXT CHECK (endDate IS NULL OR endDate >= startDate),
                    origin TEXT NOT NULL CHECK (origin IN ('new', 'migrated')),
                    registeredAt TEXT NOT NULL,
                    registeredOn TEXT NOT NULL
                );
                CREATE INDEX contract_district ON contract(districtCode);
                CREATE TRIGGER contract_never_deleted BEFORE DELETE ON contract BEGIN
                    SELECT RAISE(ABORT, 'contracts are never deleted: end them with `sublet contract end`');
                END;

                -- Price steps: from validFrom, component costs amount (NULL: removed) until its next step.
                CREATE TABLE contractTerm (
                    contractId INTEGER NOT NULL REFERENCES contract(id),
                    component TEXT NOT NULL,
                    validFrom TEXT NOT NULL,
                    amount INTEGER CHECK (amount IS NULL OR amount >= 0),
                    vatRate INTEGER NOT NULL DEFAULT 0 CHECK (vatRate IN (0, 6, 12, 25)),
                    PRIMARY KEY (contractId, component, validFrom)
                ) WITHOUT ROWID;

                CREATE TABLE notice (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    contractId INTEGER NOT NULL REFERENCES contract(id),
                    period TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('regular', 'correction')),
                    issueDate TEXT NOT NULL,
                    dueDate TEXT NOT NULL,
                    ocr TEXT NOT NULL UNIQUE,
                    total INTEGER NOT NULL CHECK (total >= 0),
                    createdAt TEXT NOT NULL,
                    createdBy TEXT NOT NULL
                );
                CREATE UNIQUE INDEX notice_regular_once ON notice(contractId, period, kind) WHERE kind = 'regular';
                CREATE INDEX notice_period ON notice(period);

                -- Lines are written first, then their notice; once the notice exists its lines are sealed.
                CREATE TABLE noticeLine (
                    noticeId INTEGER NOT NULL REFERENCES notice(id) DEFERRABLE INITIALLY DEFERRED,
                    position INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    amount INTEGER NOT NULL,
                    component TEXT,
                    vatRate INTEGER NOT NULL,
                    vatAmount INTEGER NOT NULL,
                    correctsPeriod TEXT,
                    correctsNoticeId INTEGER REFERENCES notice(id),
                    PRIMARY KEY (noticeId, position)
                ) WITHOUT ROWID;
                -- Also what SQLite searches when a notice is inserted while line foreign keys are pending.
                CREATE INDEX noticeLine_corrects ON noticeLine(correctsNoticeId);

                CREATE TRIGGER notice_immutable_update BEFORE UPDATE ON notice BEGIN
                    SELECT RAISE(ABORT, 'issued notices are immutable: correct them with a new document');
                END;
                CREATE TRIGGER notice_immutable_delete BEFORE DELETE ON notice BEGIN
                    SELECT RAISE(ABORT, 'issued notices are immutable: correct them with a new document');
                END;
                CREATE TRIGGER noticeLine_immutable_update BEFORE UPDATE ON noticeLine BEGIN
                    SELECT RAISE(ABORT, 'issued notices are immutable: correct them with a new document');
                END;
                CREATE TRIGGER noticeLine_immutable_delete BEFORE DELETE ON noticeLine BEGIN
                    SELECT RAISE(ABORT, 'issued notices are immutable: correct them with a new document');
                END;
                CREATE TRIGGER noticeLine_sealed BEFORE INSERT ON noticeLine
                WHEN EXISTS (SELECT 1 FROM notice WHERE id = NEW.noticeId) BEGIN
                    SELECT RAISE(ABORT, 'issued notices are immutable: no line can be added to an issued notice');
                END;
                -- Append-only: who changed what, when.
                CREATE TABLE auditLog (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entityKey TEXT,
                    contractId INTEGER REFERENCES contract(id),
                    detail TEXT,
                    before TEXT,
                    after TEXT
                );
                CREATE INDEX auditLog_contract ON auditLog(contractId);
                CREATE TRIGGER auditLog_append_only_update BEFORE UPDATE ON auditLog BEGIN
                    SELECT RAISE(ABORT, 'the audit log is append-only');
                END;
                CREATE TRIGGER auditLog_append_only_delete BEFORE DELETE ON auditLog BEGIN
                    SELECT RAISE(ABORT, 'the audit log is append-only');
                END;
                """)
        }
        return migrator
    }
}
