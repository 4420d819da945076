import GRDB

/// The database schema, as versioned migrations. The schema is the contract: what the rules
/// forbid (editing an issued notice, deleting a contract, rewriting the audit log), SQLite
/// refuses too.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-register-and-notices") { db in
            try db.execute(
                sql: """
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
            try db.execute(
                sql: """
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
        migrator.registerMigration("v3-reconciliation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE landlord (
                        organisationNumber TEXT PRIMARY KEY NOT NULL CHECK (length(organisationNumber) = 10),
                        name TEXT NOT NULL,
                        bankgiro TEXT,
                        createdAt TEXT NOT NULL
                    ) WITHOUT ROWID;

                    -- A district's first-hand lease (head lease) of a trial or training apartment.
                    CREATE TABLE lease (
                        id TEXT PRIMARY KEY NOT NULL,
                        landlord TEXT NOT NULL REFERENCES landlord(organisationNumber),
                        objectId TEXT NOT NULL,
                        districtCode TEXT NOT NULL REFERENCES district(code),
                        kind TEXT CHECK (kind IS NULL OR kind IN ('trial', 'training')),
                        reference TEXT,
                        address TEXT,
                        startDate TEXT NOT NULL,
                        endDate TEXT CHECK (endDate IS NULL OR endDate >= startDate),
                        createdAt TEXT NOT NULL,
                        UNIQUE (landlord, objectId)
                    ) WITHOUT ROWID;
                    CREATE INDEX lease_district ON lease(districtCode);
                    CREATE TABLE leaseRent (
                        leaseId TEXT NOT NULL REFERENCES lease(id),
                        validFrom TEXT NOT NULL,
                        rent INTEGER NOT NULL CHECK (rent >= 0),
                        PRIMARY KEY (leaseId, validFrom)
                    ) WITHOUT ROWID;

                    -- The add-on service: from a month on, a district buys reconciliation (or stops).
                    CREATE TABLE reconciliationSubscription (
                        districtCode TEXT NOT NULL REFERENCES district(code),
                        fromPeriod TEXT NOT NULL,
                        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                        PRIMARY KEY (districtCode, fromPeriod)
                    ) WITHOUT ROWID;

                    -- Files taken in, by content: the same file twice is a no-op.
                    CREATE TABLE inboundFile (
                        id INTEGER PRIMARY KEY,
                        sha256 TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        bytes INTEGER NOT NULL,
                        receivedAt TEXT NOT NULL,
                        documents INTEGER NOT NULL DEFAULT 0
                    );

                    CREATE TABLE invoice (
                        id INTEGER PRIMARY KEY,
                        fileId INTEGER NOT NULL REFERENCES inboundFile(id),
                        position INTEGER NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
                        number TEXT NOT NULL,
                        seller TEXT,
                        sellerName TEXT,
                        issueDate TEXT NOT NULL,
                        dueDate TEXT,
                        currency TEXT NOT NULL,
                        periodStart TEXT,
                        periodEnd TEXT,
                        contractReferences TEXT,
                        buyerReference TEXT,
                        orderReference TEXT,
                        paymentId TEXT,
                        payable INTEGER NOT NULL,
                        sourceLine INTEGER NOT NULL,
                        duplicateOfId INTEGER REFERENCES invoice(id)
                    );
                    -- An invoice counts once: seller and number identify it.
                    CREATE UNIQUE INDEX invoice_identity ON invoice(seller, number) WHERE duplicateOfId IS NULL;
                    CREATE INDEX invoice_file ON invoice(fileId);

                    CREATE TABLE invoiceLine (
                        invoiceId INTEGER NOT NULL REFERENCES invoice(id),
                        position INTEGER NOT NULL,
                        lineId TEXT,
                        amount INTEGER NOT NULL,
                        quantity TEXT,
                        unitCode TEXT,
                        itemName TEXT,
                        note TEXT,
                        sellersItemId TEXT,
                        buyersItemId TEXT,
                        objectReference TEXT,
                        periodStart TEXT,
                        periodEnd TEXT,
                        PRIMARY KEY (invoiceId, position)
                    ) WITHOUT ROWID;

                    -- What each line bills per month (a period over several months is split by days;
                    -- credit notes negative). Duplicates have no months: they never count.
                    CREATE TABLE invoiceLineMonth (
                        period TEXT NOT NULL,
                        invoiceId INTEGER NOT NULL,
                        position INTEGER NOT NULL,
                        amount INTEGER NOT NULL,
                        PRIMARY KEY (period, invoiceId, position),
                        FOREIGN KEY (invoiceId, position) REFERENCES invoiceLine(invoiceId, position)
                    ) WITHOUT ROWID;

                    CREATE TABLE finding (
                        id INTEGER PRIMARY KEY,
                        invoiceId INTEGER NOT NULL REFERENCES invoice(id),
                        lineId TEXT,
                        kind TEXT NOT NULL CHECK (kind IN ('rule_failure', 'duplicate_invoice')),
                        rule TEXT,
                        message TEXT NOT NULL
                    );
                    CREATE INDEX finding_invoice ON finding(invoiceId);

                    CREATE TRIGGER invoice_as_received_update BEFORE UPDATE ON invoice BEGIN
                        SELECT RAISE(ABORT, 'invoices are stored as received');
                    END;
                    CREATE TRIGGER invoice_as_received_delete BEFORE DELETE ON invoice BEGIN
                        SELECT RAISE(ABORT, 'invoices are stored as received');
                    END;
                    CREATE TRIGGER invoiceLine_as_received_update BEFORE UPDATE ON invoiceLine BEGIN
                        SELECT RAISE(ABORT, 'invoices are stored as received');
                    END;
                    CREATE TRIGGER invoiceLine_as_received_delete BEFORE DELETE ON invoiceLine BEGIN
                        SELECT RAISE(ABORT, 'invoices are stored as received');
                    END;
                    """)
        }
        registerProtection(&migrator)
        registerCounterMeaning(&migrator)
        registerTallies(&migrator)
        registerCorrectionVAT(&migrator)
        registerPayments(&migrator)
        registerSearch(&migrator)
        return migrator
    }
}
