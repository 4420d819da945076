import Foundation
import GRDB
import SubletDomain

/// The register as payment matching sees it, inside one transaction: open notices held in
/// memory by OCR (loaded once per file), other look-ups by index (a contract's notices, read
/// once; tier 3's tenants, through the register's search index).
final class PaymentRegister: PaymentLookup {
    /// Where it reads what it does not hold; an import matching on a thread of its own switches
    /// it to that thread's read-only connection once loaded (`RegisterSource`).
    var source: RegisterSource
    private var open: [String: NoticeAccount] = [:]
    /// The OCRs of a contract's notices with something owed when the transaction began, for the
    /// contracts asked for (`openNotices(contractID:)`).
    private var byContract: [Int64: [String]] = [:]
    /// Tier 3's answers so far, by normalised name and by personal number.
    private var tenantsNamed: [String: [TenantAccount]] = [:]
    private var tenantsIdentified: [String: [TenantAccount]] = [:]
    /// Every tenant, read only when the search index cannot answer (`tenantsBySearch`).
    private(set) var allTenants: TenantIndex?
    /// Whether the search index is kept up (no bulk import's deferral left behind), asked once.
    private var searchKept: Bool?
    /// A look-up that failed inside the protocol's non-throwing methods, rethrown by the caller.
    private(set) var failure: (any Error)?

    static let accountColumns = """
        n.id, n.number, n.ocr, n.contractId, c.number, c.districtCode, n.dueDate,
        \(Schema.noticeBalance("n")), c.endDate
        """

    /// The months of open notices held in memory, back from today's.
    static let monthsLoaded = 6

    /// Loads the open notices of the last `monthsLoaded` months (payments are for recent notices;
    /// an older one is found by index when a payment names it or its contract is overpaid), so
    /// the load does not grow with the years of history.
    init(_ db: Database, today: CalendarDate) throws {
        source = .connection(db)
        let since = today.period.advanced(by: -Self.monthsLoaded)
        let expected = try Int.fetchOne(db, sql: "SELECT count(*) FROM notice WHERE period >= ?", arguments: [since]) ?? 0
        open.reserveCapacity(expected)
        try ColumnReader.forEachRow(
            db.makeStatement(
                sql: """
                    SELECT \(Self.accountColumns) FROM notice n JOIN contract c ON c.id = n.contractId
                    WHERE n.period >= ? AND \(Schema.noticeBalance("n")) > 0
                    """), arguments: [since], table: "notice"
        ) { account in
            let account = try Self.account(account)
            open[account.ocr] = account
        }
    }

    static func account(_ row: ColumnReader) throws -> NoticeAccount {
        NoticeAccount(
            noticeID: try row.int64(0, "id"), number: try row.string(1, "number"), ocr: try row.string(2, "ocr"),
            contractID: try row.int64(3, "contractId"), contract: try row.string(4, "contract.number"),
            district: try row.string(5, "contract.districtCode"), dueDate: try row.date(6, "dueDate"),
            balance: Money(ore: Int(try row.int64(7, "balance"))), contractEnd: try row.optionalDate(8, "contract.endDate"))
    }

    /// What `parts`, allocated to the `named` notice and the contract's `open` ones, changed:
    /// held in memory, so that later payments in the same transaction see it.
    func applied(_ parts: [Application], named: NoticeAccount?, open others: [NoticeAccount]) {
        for part in parts {
            guard let id = part.noticeID,
                let account = named?.noticeID == id ? named : others.first(where: { $0.noticeID == id })
            else { continue }
            // A notice not held yet is as the caller found it: as the transaction began.
            var current = open[account.ocr] ?? account
            current.balance = Money(ore: current.balance.ore - part.amount.ore)
            open[account.ocr] = current
        }
    }

    /// Sublet makes every OCR reference with a check digit (`OCRReference.make`): a reference
    /// without a valid one (most typing errors) is no notice's, and is not looked for.
    func notice(ocr: String) -> NoticeAccount? { open[ocr] ?? (Luhn.isValid(ocr) ? fetch("n.ocr = ?", ocr) : nil) }

    /// By index, then as this file's applications left it if it is held in memory.
    func notice(number: String) -> NoticeAccount? {
        fetch("n.number = ?", number).map { found in open[found.ocr] ?? found }
    }

    /// While importing, a repaired reference is looked for among the notices loaded only (a
    /// hundred guesses per payment would otherwise each be a query); the queue, listed later,
    /// looks in the whole register.
    var repairsFromMemoryOnly = false

    func repairCandidate(ocr: String) -> NoticeAccount? { repairsFromMemoryOnly ? open[ocr] : notice(ocr: ocr) }

    func openNotices(contractID: Int64) -> [NoticeAccount] {
        loadNotices(of: contractID)
        return (byContract[contractID] ?? []).compactMap { open[$0] }.filter { $0.balance.ore > 0 }
            .sorted { ($0.dueDate, $0.noticeID) < ($1.dueDate, $1.noticeID) }
    }

    /// The contract's notices with something owed when the transaction began, read once; those
    /// not held yet (older than the months loaded) are kept, so that this file's applications
    /// to them are seen. A notice paid in full then cannot owe again within the transaction.
    private func loadNotices(of contractID: Int64) {
        guard byContract[contractID] == nil else { return }
        do {
            let older = try source.read { db in
                var accounts: [NoticeAccount] = []
                try ColumnReader.forEachRow(
                    db.cachedStatement(
                        sql: """
                            SELECT \(Self.accountColumns) FROM notice n JOIN contract c ON c.id = n.contractId
                            WHERE n.contractId = ? AND \(Schema.noticeBalance("n")) > 0
                            """), arguments: [contractID], table: "notice"
                ) { accounts.append(try Self.account($0)) }
                return accounts
            }
            for account in older where open[account.ocr] == nil { open[account.ocr] = account }
            byContract[contractID] = older.map(\.ocr)
        } catch {
            failure = failure ?? error
        }
    }

    /// The tenants whose normalised name (`PaymentMatcher.normalisedName`) is `name`: the
    /// contracts whose indexed text holds each of its words, kept if the whole name is equal.
    func tenants(named name: String) -> [TenantAccount] {
        if let known = tenantsNamed[name] { return known }
        let words = name.split(separator: " ").map(String.init)
        let found =
            words.isEmpty
            ? []
            : tenantsBySearch(SearchQuery.allOf(words)) {
                PaymentMatcher.normalisedName($0.name) == name
            } fallback: {
                $0.names[name]
            }
        tenantsNamed[name] = found
        return found
    }

    func tenants(identity: String) -> [TenantAccount] {
        if let known = tenantsIdentified[identity] { return known }
        let found = tenantsBySearch(SearchQuery.allOf([SearchQuery.personalNumberPrefix + identity])) {
            $0.personalNumber == identity
        } fallback: {
            $0.identities[identity]
        }
        tenantsIdentified[identity] = found
        return found
    }

    private func fetch(_ condition: String, _ value: some DatabaseValueConvertible) -> NoticeAccount? {
        do {
            return try source.read { db in
                var found: NoticeAccount?
                try ColumnReader.forEachRow(
                    db.cachedStatement(sql: "SELECT \(Self.accountColumns) FROM notice n JOIN contract c ON c.id = n.contractId WHERE \(condition)"),
                    arguments: [value], table: "notice"
                ) { found = try Self.account($0) }
                return found
            }
        } catch {
            failure = failure ?? error
            return nil
        }
    }

    /// The contracts the search index finds for `expression` that `keep` confirms. The index
    /// splits words as `normalisedName` does (letters and digits) and folds diacritics, so it
    /// finds every tenant the exact comparison keeps. While its upkeep is deferred (a bulk
    /// import's, left behind) or the expression is one it refuses, every tenant is read once
    /// instead and `fallback` answers from them.
    private func tenantsBySearch(
        _ expression: String, keep: (TenantAccount) -> Bool, fallback: (TenantIndex) -> [TenantAccount]?
    ) -> [TenantAccount] {
        if let allTenants { return fallback(allTenants) ?? [] }
        do {
            return try source.read { db in
                if searchKept == nil { searchKept = try Int.fetchOne(db, sql: "SELECT count(*) FROM searchDeferred") == 0 }
                guard searchKept == true else { throw SearchUnavailable() }
                var found: [TenantAccount] = []
                try ColumnReader.forEachRow(
                    db.cachedStatement(
                        sql: """
                            SELECT c.id, c.number, c.districtCode, c.tenantName, c.personalNumber
                            FROM registerSearch s JOIN contract c ON c.number = s.key
                            WHERE registerSearch MATCH ? AND s.kind = 'contract' ORDER BY c.id
                            """), arguments: [expression], table: "contract"
                ) { row in
                    let tenant = try TenantIndex.tenant(row)
                    if keep(tenant) { found.append(tenant) }
                }
                return found
            }
        } catch {
            do {
                let loaded = try source.read(TenantIndex.load)
                allTenants = loaded
                return fallback(loaded) ?? []
            } catch {
                failure = failure ?? error
                return []
            }
        }
    }

    private struct SearchUnavailable: Error {}
}

/// Where a `PaymentRegister` reads what it does not hold in memory: the connection of the
/// transaction it serves, or, for an import matching on a thread of its own, a read-only
/// connection of the pool held by that thread for the whole import (`OrderedWorker`'s
/// `around`). The import holds the pool's one write lock, so that connection's one read
/// transaction sees the state the import started from (the last commit); what the file itself
/// changes the register holds in memory (`applied(_:named:open:)`).
enum RegisterSource {
    case connection(Database)
    /// After the thread's read ended: nothing more may be read.
    case closed

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        switch self {
        case .connection(let db): return try body(db)
        case .closed: throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the register's connection was closed")
        }
    }
}

/// The tenants by normalised name and by personal number, for tier 3.
struct TenantIndex: Sendable {
    var names: [String: [TenantAccount]] = [:]
    var identities: [String: [TenantAccount]] = [:]

    static func load(_ db: Database) throws -> TenantIndex {
        var index = TenantIndex()
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM contract") ?? 0
        index.identities.reserveCapacity(count)
        try ColumnReader.forEachRow(
            db.makeStatement(sql: "SELECT id, number, districtCode, tenantName, personalNumber FROM contract ORDER BY id"), table: "contract"
        ) { row in
            let tenant = try tenant(row)
            index.names[PaymentMatcher.normalisedName(tenant.name), default: []].append(tenant)
            index.identities[tenant.personalNumber, default: []].append(tenant)
        }
        return index
    }

    /// A row of `id, number, districtCode, tenantName, personalNumber`.
    static func tenant(_ row: ColumnReader) throws -> TenantAccount {
        TenantAccount(
            contractID: try row.int64(0, "id"), contract: try row.string(1, "number"), district: try row.string(2, "districtCode"),
            name: try row.string(3, "tenantName"), personalNumber: try row.string(4, "personalNumber"))
    }
}
