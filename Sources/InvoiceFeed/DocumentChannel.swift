import Foundation
import SubletDomain

/// Items (documents, payments) handed from the parser's thread to the consumer's, at most
/// `capacity` waiting.
final class DocumentChannel<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var queue: [Item] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var producerDone = false
    private(set) var count = 0

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// Waits while the queue is full; throws when the consumer has given up.
    func send(_ document: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity, !cancelled { condition.wait() }
        guard !cancelled else { throw CancellationError() }
        queue.append(document)
        condition.broadcast()
    }

    func finish(count: Int) {
        condition.lock()
        self.count = count
        finished = true
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: any Error) {
        condition.lock()
        failure = error
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// Every document waiting, or nil once the file is read; rethrows the parser's error.
    func receive() throws -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !finished, failure == nil { condition.wait() }
        if let failure { throw failure }
        guard !queue.isEmpty else { return nil }
        defer {
            queue.removeAll(keepingCapacity: true)
            condition.broadcast()
        }
        return queue
    }

    /// Stops the parser if it is still going and waits for its thread to end.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !producerDone { condition.wait() }
        condition.unlock()
    }
}
