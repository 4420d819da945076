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
        migrator.registerMigration("v2-corrections-and-fees") { db in
            try db.execute(sql: """
                -- A retroactive correction: recorded with the change that caused it, never edited.
                CREATE TABLE correction (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    contractId INTEGER NOT NULL REFERENCES contract(id),
                    change TEXT NOT NULL,
                    recordedAt TEXT NOT NULL,
                    recordedOn TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    affectedNotices INTEGER NOT NULL CHECK (affectedNotices >= 0),
                    total INTEGER NOT NULL,
                    minutes INTEGER CHECK (minutes IS NULL OR minutes > 0)
                );
                CREATE INDEX correction_contract ON correction(contractId);
                CREATE INDEX correction_recordedOn ON correction(recordedOn);

                -- Per affected month: what was billed before, what is correct, and where the
                -- difference was billed (a notice line) or paid back (a refund), once.
                CREATE TABLE correctionMonth (
                    correctionId INTEGER NOT NULL REFERENCES correction(id),
                    period TEXT NOT NULL,
                    noticeId INTEGER REFERENCES notice(id),
                    billed INTEGER NOT NULL,
                    correct INTEGER NOT NULL,
                    difference INTEGER NOT NULL CHECK (difference = correct - billed AND difference != 0),
                    settledNoticeId INTEGER REFERENCES notice(id),
                    settledRefundId INTEGER REFERENCES refund(id),
                    PRIMARY KEY (correctionId, period)
                ) WITHOUT ROWID;
                CREATE INDEX correctionMonth_pending ON correctionMonth(correctionId)
                    WHERE settledNoticeId IS NULL AND settledRefundId IS NULL;
                CREATE INDEX correctionMonth_settledNotice ON correctionMonth(settledNoticeId);
                CREATE INDEX correctionMonth_settledRefund ON correctionMonth(settledRefundId);
                CREATE INDEX correctionMonth_notice ON correctionMonth(noticeId);

                -- Money owed back to a tenant (a positive amount).
                CREATE TABLE refund (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    contractId INTEGER NOT NULL REFERENCES contract(id),
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    period TEXT NOT NULL,
                    createdOn TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    noticeId INTEGER REFERENCES notice(id),
                    text TEXT NOT NULL
                );
                CREATE INDEX refund_contract ON refund(contractId);

                -- The district's fee for a billable correction; billed in the month it was recorded.
                CREATE TABLE fee (
                    id INTEGER PRIMARY KEY,
                    correctionId INTEGER NOT NULL UNIQUE REFERENCES correction(id),
                    districtCode TEXT NOT NULL REFERENCES district(code),
                    billingPeriod TEXT NOT NULL,
                    recordedOn TEXT NOT NULL,
                    model TEXT NOT NULL CHECK (model IN ('fixed', 'time')),
                    minutes INTEGER,
                    amount INTEGER NOT NULL CHECK (amount >= 0),
                    waived INTEGER NOT NULL DEFAULT 0 CHECK (waived IN (0, 1)),
                    waiverReason TEXT,
                    CHECK (waived = 0 OR length(trim(waiverReason)) > 0)
                );
                CREATE INDEX fee_period ON fee(billingPeriod, districtCode);

                -- The months the monthly job has run for (each run, even one that issued nothing):
                -- a month up to the last of them is closed, and changes to it are corrections.
                CREATE TABLE noticeRun (
                    period TEXT PRIMARY KEY NOT NULL,
                    firstRunAt TEXT NOT NULL,
                    firstRunBy TEXT NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO noticeRun (period, firstRunAt, firstRunBy)
                    SELECT period, min(createdAt), 'migration' FROM notice WHERE kind = 'regular' GROUP BY period;

                CREATE TRIGGER correction_immutable_update BEFORE UPDATE ON correction BEGIN
                    SELECT RAISE(ABORT, 'corrections are immutable: record a new correction');
                END;
                CREATE TRIGGER correction_immutable_delete BEFORE DELETE ON correction BEGIN
                    SELECT RAISE(ABORT, 'corrections are immutable: record a new correction');
                END;
                CREATE TRIGGER correctionMonth_settle_once BEFORE UPDATE ON correctionMonth
                WHEN NEW.correctionId IS NOT OLD.correctionId OR NEW.period IS NOT OLD.period OR NEW.noticeId IS NOT OLD.noticeId
                  OR NEW.billed IS NOT OLD.billed OR NEW.correct IS NOT OLD.correct OR NEW.difference IS NOT OLD.difference
                  OR OLD.settledNoticeId IS NOT NULL OR OLD.settledRefundId IS NOT NULL BEGIN
                    SELECT RAISE(ABORT, 'a correction month is settled once and never edited');
                END;
                CREATE TRIGGER correctionMonth_immutable_delete BEFORE DELETE ON correctionMonth BEGIN
                    SELECT RAISE(ABORT, 'corrections are immutable: record a new correction');
                END;
                CREATE TRIGGER refund_immutable_update BEFORE UPDATE ON refund BEGIN
                    SELECT RAISE(ABORT, 'refunds are immutable');
                END;
                CREATE TRIGGER refund_immutable_delete BEFORE DELETE ON refund BEGIN
                    SELECT RAISE(ABORT, 'refunds are immutable');
                END;
                CREATE TRIGGER fee_immutable_update BEFORE UPDATE ON fee BEGIN
                    SELECT RAISE(ABORT, 'fees are immutable');
                END;
                CREATE TRIGGER fee_immutable_delete BEFORE DELETE ON fee BEGIN
                    SELECT RAISE(ABORT, 'fees are immutable');
                END;
                """)
        }
        return migrator
    }
}
