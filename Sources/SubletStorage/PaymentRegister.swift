import Foundation
import GRDB
import SubletDomain

/// The register as payment matching sees it, inside one transaction: open notices held in
/// memory (loaded once per file), other look-ups by index, tenants loaded when first asked.
final class PaymentRegister: PaymentLookup {
    /// Where it reads what it does not hold; an import matching on a thread of its own switches
    /// it to the pool once loaded (`RegisterSource`).
    var source: RegisterSource
    private var open: [String: NoticeAccount] = [:]
    private var byContract: [Int64: [String]] = [:]
    private var ocrs: [Int64: String] = [:]
    /// The tenants, once tier 3 has asked for them.
    private var tenants: TenantIndex?
    /// The tenants, when another connection is reading them meanwhile (`TenantIndex.Ahead`).
    var tenantsAhead: TenantIndex.Ahead?
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
        ocrs.reserveCapacity(expected)
        byContract.reserveCapacity(expected)
        try ColumnReader.forEachRow(
            db.makeStatement(
                sql: """
                    SELECT \(Self.accountColumns) FROM notice n JOIN contract c ON c.id = n.contractId
                    WHERE n.period >= ? AND \(Schema.noticeBalance("n")) > 0
                    """), arguments: [since], table: "notice"
        ) { keep(try Self.account($0)) }
    }

    /// Holds `account` in memory; later applications in this transaction update it there.
    private func keep(_ account: NoticeAccount) {
        open[account.ocr] = account
        ocrs[account.noticeID] = account.ocr
        byContract[account.contractID, default: []].append(account.ocr)
    }

    static func account(_ row: ColumnReader) throws -> NoticeAccount {
        NoticeAccount(
            noticeID: try row.int64(0, "id"), number: try row.string(1, "number"), ocr: try row.string(2, "ocr"),
            contractID: try row.int64(3, "contractId"), contract: try row.string(4, "contract.number"),
            district: try row.string(5, "contract.districtCode"), dueDate: try row.date(6, "dueDate"),
            balance: Money(ore: Int(try row.int64(7, "balance"))), contractEnd: try row.optionalDate(8, "contract.endDate"))
    }

    /// What an application to notice `id` changed, so later payments in the same file see it.
    func applied(_ amount: Money, toNotice id: Int64) {
        if ocrs[id] == nil, let account = fetch("n.id = ?", id) { keep(account) }
        guard let ocr = ocrs[id], var account = open[ocr] else { return }
        account.balance = Money(ore: account.balance.ore - amount.ore)
        open[ocr] = account
    }

    func notice(ocr: String) -> NoticeAccount? { open[ocr] ?? fetch("n.ocr = ?", ocr) }

    /// By index, then as this file's applications left it if it is held in memory.
    func notice(number: String) -> NoticeAccount? {
        fetch("n.number = ?", number).map { found in ocrs[found.noticeID].flatMap { open[$0] } ?? found }
    }

    /// While importing, a repaired reference is looked for among the notices loaded only (a
    /// hundred guesses per payment would otherwise each be a query); the queue, listed later,
    /// looks in the whole register.
    var repairsFromMemoryOnly = false

    func repairCandidate(ocr: String) -> NoticeAccount? { repairsFromMemoryOnly ? open[ocr] : notice(ocr: ocr) }

    func openNotices(contractID: Int64) -> [NoticeAccount] {
        loadOlder(contractID)
        return (byContract[contractID] ?? []).compactMap { open[$0] }.filter { $0.balance.ore > 0 }
            .sorted { ($0.dueDate, $0.noticeID) < ($1.dueDate, $1.noticeID) }
    }

    /// The contract's notices not yet in memory with something owed (older than the months
    /// loaded), read once and kept, so that this file's applications to them are seen.
    private var olderLoaded: Set<Int64> = []
    private func loadOlder(_ contractID: Int64) {
        guard olderLoaded.insert(contractID).inserted else { return }
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
            for account in older where open[account.ocr] == nil { keep(account) }
        } catch {
            failure = failure ?? error
        }
    }

    func tenants(named name: String) -> [TenantAccount] { loadTenants().names[name] ?? [] }

    func tenants(identity: String) -> [TenantAccount] { loadTenants().identities[identity] ?? [] }

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

    /// The tenants, loaded the first time (an empty index after a failure, which `failure` holds).
    private func loadTenants() -> TenantIndex {
        if let tenants { return tenants }
        let loaded: TenantIndex
        do {
            loaded = try tenantsAhead?.wait() ?? source.read(TenantIndex.load)
        } catch {
            failure = failure ?? error
            loaded = TenantIndex()
        }
        tenants = loaded
        return loaded
    }
}

/// Where a `PaymentRegister` reads what it does not hold in memory.
enum RegisterSource {
    /// The connection of the transaction it serves, on that connection's thread.
    case connection(Database)
    /// Any connection of the pool, from another thread, while the import's connection writes:
    /// the import holds the pool's one write lock, so every read sees the state the import
    /// started from (the last commit), and what the file itself changes the register holds in
    /// memory (`applied(_:toNotice:)`). Held weakly: a register freed on the matching thread
    /// after the import must not keep the database open.
    case pool(WeakPool)

    final class WeakPool {
        weak var pool: DatabasePool?
        init(_ pool: DatabasePool) { self.pool = pool }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        switch self {
        case .connection(let db): return try body(db)
        case .pool(let weak):
            guard let pool = weak.pool else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database was closed") }
            // A handful of look-ups: a small page cache keeps the import within its memory budget.
            return try pool.read { db in
                try db.execute(sql: "PRAGMA cache_size = -1024")
                defer { try? db.execute(sql: "PRAGMA cache_size = -65536") }
                return try body(db)
            }
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
            db.makeStatement(sql: "SELECT id, number, districtCode, tenantName, personalNumber FROM contract"), table: "contract"
        ) { row in
            let tenant = TenantAccount(
                contractID: try row.int64(0, "id"), contract: try row.string(1, "number"), district: try row.string(2, "districtCode"),
                name: try row.string(3, "tenantName"), personalNumber: try row.string(4, "personalNumber"))
            index.names[PaymentMatcher.normalisedName(tenant.name), default: []].append(tenant)
            index.identities[tenant.personalNumber, default: []].append(tenant)
        }
        return index
    }

    /// Tenants being read on a thread of their own through another connection of `pool`
    /// (the import's transaction does not change contracts, so the last committed snapshot is
    /// the same register), while the import's connection loads the open notices.
    final class Ahead: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<TenantIndex, any Error>?

        init(reading pool: DatabasePool) {
            Thread.detachNewThread { [self] in
                // One pass over the contracts: a small page cache keeps the import in its memory budget.
                let loaded = Result {
                    try pool.read { db in
                        try db.execute(sql: "PRAGMA cache_size = -1024")
                        defer { try? db.execute(sql: "PRAGMA cache_size = -65536") }
                        return try TenantIndex.load(db)
                    }
                }
                condition.lock()
                result = loaded
                condition.broadcast()
                condition.unlock()
            }
        }

        func wait() throws -> TenantIndex {
            condition.lock()
            defer { condition.unlock() }
            while result == nil { condition.wait() }
            return try result!.get()
        }
    }
}
