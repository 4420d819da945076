import GRDB

extension Schema {
    /// A notice's balance as SQL, for the notice row aliased `notice`: its total less what was
    /// applied to it. Never stored (issue #9 §2); every query that needs it uses this.
    static func noticeBalance(_ notice: String) -> String {
        "(\(notice).total - coalesce((SELECT sum(a.amount) FROM paymentApplication a WHERE a.noticeId = \(notice).id), 0))"
    }

    /// v8: incoming payments (issue #9). A payment file and its payments are kept as received;
    /// what was done with a payment is a row in `paymentApplication`, never an edit: undoing an
    /// application is a new row with the opposite amount that names it (`reversesId`). A
    /// notice's balance is its total less its applications, computed, never stored.
    static func registerPayments(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-payments") { db in
            try db.execute(
                sql: """
                    CREATE TABLE paymentFile (
                        id INTEGER PRIMARY KEY,
                        sha256 TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        format TEXT NOT NULL CHECK (format IN ('camt.054', 'bgmax')),
                        bytes INTEGER NOT NULL,
                        receivedAt TEXT NOT NULL,
                        receivedBy TEXT NOT NULL
                    );
                    CREATE TABLE payment (
                        id INTEGER PRIMARY KEY,
                        fileId INTEGER NOT NULL REFERENCES paymentFile(id),
                        bankKey TEXT NOT NULL UNIQUE,
                        format TEXT NOT NULL CHECK (format IN ('camt.054', 'bgmax')),
                        amount INTEGER NOT NULL,
                        currency TEXT NOT NULL,
                        paymentDate TEXT NOT NULL,
                        valueDate TEXT,
                        reference TEXT,
                        referenceVerified INTEGER NOT NULL,
                        text TEXT,
                        payerName TEXT,
                        payerId TEXT,
                        reversal INTEGER NOT NULL,
                        sourceLine INTEGER NOT NULL,
                        tier TEXT NOT NULL CHECK (tier IN ('ocr', 'repaired', 'payer', 'unidentified'))
                    );
                    CREATE TABLE paymentApplication (
                        id INTEGER PRIMARY KEY,
                        paymentId INTEGER NOT NULL REFERENCES payment(id),
                        contractId INTEGER REFERENCES contract(id),
                        noticeId INTEGER REFERENCES notice(id),
                        kind TEXT NOT NULL CHECK (kind IN ('notice', 'credit', 'refund', 'return')),
                        amount INTEGER NOT NULL CHECK (amount != 0),
                        reversesId INTEGER REFERENCES paymentApplication(id),
                        refundId INTEGER REFERENCES refund(id),
                        reason TEXT,
                        createdAt TEXT NOT NULL,
                        createdBy TEXT NOT NULL,
                        CHECK (kind != 'notice' OR noticeId IS NOT NULL),
                        CHECK (kind = 'return' OR contractId IS NOT NULL)
                    );
                    CREATE INDEX paymentApplication_payment ON paymentApplication(paymentId);
                    CREATE INDEX paymentApplication_notice ON paymentApplication(noticeId) WHERE noticeId IS NOT NULL;
                    CREATE INDEX paymentApplication_contract ON paymentApplication(contractId);
                    CREATE INDEX notice_contract_due ON notice(contractId, dueDate);
                    -- The forfeiture watch: the day the notice to the tenant and the board was given.
                    CREATE TABLE forfeitureNotice (
                        noticeId INTEGER PRIMARY KEY REFERENCES notice(id),
                        notifiedOn TEXT NOT NULL,
                        createdAt TEXT NOT NULL,
                        createdBy TEXT NOT NULL
                    );
                    -- One reminder per notice, written once.
                    CREATE TABLE reminder (
                        noticeId INTEGER PRIMARY KEY REFERENCES notice(id),
                        remindedOn TEXT NOT NULL,
                        fee INTEGER NOT NULL CHECK (fee >= 0),
                        balance INTEGER NOT NULL,
                        createdAt TEXT NOT NULL
                    );
                    """)
            for table in ["paymentFile", "payment", "paymentApplication", "forfeitureNotice", "reminder"] {
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table)_as_recorded_update BEFORE UPDATE ON \(table) BEGIN
                            SELECT RAISE(ABORT, 'payments and what was done with them are recorded, never edited');
                        END;
                        CREATE TRIGGER \(table)_as_recorded_delete BEFORE DELETE ON \(table) BEGIN
                            SELECT RAISE(ABORT, 'payments and what was done with them are recorded, never deleted');
                        END;
                        """)
            }
        }
    }
}
