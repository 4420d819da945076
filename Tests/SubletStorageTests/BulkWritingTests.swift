import Foundation
import GRDB
import Testing

@testable import SubletStorage

/// The bulk paths' two helpers: `BulkInsert` binding rows made elsewhere, many per statement,
/// and `OrderedWorker` handing work to a thread of its own and its results back in order.
@Suite struct BulkWritingTests {
    @Test(arguments: [0, 1, 99, 100, 101, 250])
    func rowsMadeElsewhereAreInsertedAsBound(count: Int) throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT, number INTEGER)")
            var rows = BulkInsert.Rows(columns: 3)
            for index in 0..<count {
                rows.bind(Int64(index + 1))
                // An empty text stays an empty text (not NULL); non-ASCII text keeps its bytes.
                rows.bind(index % 3 == 0 ? "" : index % 3 == 1 ? nil : "Bergström \(index)")
                rows.bind(index % 2 == 0 ? Int64(-index) : nil)
                rows.endRow()
            }
            var insert = BulkInsert(db, table: "t", columns: ["id", "text", "number"], rowsPerStatement: nil)
            // A row bound one at a time before them is written first.
            insert.bind(Int64(10_000))
            insert.bind("first")
            insert.bind(Int64(7))
            try insert.endRow()
            try insert.insert(rows)
            try insert.flush()
            let stored = try Row.fetchAll(db, sql: "SELECT id, text, number FROM t ORDER BY id")
            #expect(stored.count == count + 1)
            for (index, row) in stored.dropLast().enumerated() {
                #expect(row[0] as Int64 == Int64(index + 1))
                let text: String? = row[1]
                #expect(text == (index % 3 == 0 ? "" : index % 3 == 1 ? nil : "Bergström \(index)"))
                let number: Int64? = row[2]
                #expect(number == (index % 2 == 0 ? Int64(-index) : nil))
            }
            #expect(stored.last?[1] as String? == "first")
        }
    }

    @Test func aThreadedWorkerReturnsEveryResultInOrderInsideItsAround() throws {
        let arounds = Counter()
        let around: @Sendable (() -> Void) throws -> Void = { work in
            arounds.add()
            work()
        }
        let worker = OrderedWorker<Int, Int>(threaded: true, limit: 2, around: around) { $0 * 2 }
        var outputs: [Int] = []
        for input in 0..<50 { outputs += try worker.submit(input) }
        outputs += try worker.finish()
        #expect(outputs == (0..<50).map { $0 * 2 })
        #expect(arounds.value == 1)
    }

    struct Refused: Error, Equatable {}

    @Test func aWorkerWhoseAroundFailsFailsItsCallerAndDoesNotHang() throws {
        let refuse: @Sendable (() -> Void) throws -> Void = { _ in throw Refused() }
        let worker = OrderedWorker<Int, Int>(threaded: true, limit: 1, around: refuse) { $0 }
        #expect(throws: Refused.self) {
            for input in 0..<10 { _ = try worker.submit(input) }
            _ = try worker.finish()
        }
    }

    @Test func aFailingWorkFailsTheImportAtItsNextCall() throws {
        let worker = OrderedWorker<Int, Int>(threaded: true) { input in
            if input == 3 { throw Refused() }
            return input
        }
        #expect(throws: Refused.self) {
            for input in 0..<10 { _ = try worker.submit(input) }
            _ = try worker.finish()
        }
        worker.cancel()
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
