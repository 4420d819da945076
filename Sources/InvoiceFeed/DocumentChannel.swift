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
    func send(_ document: Item) throws { try send(contentsOf: CollectionOfOne(document)) }

    /// `send` for many items, taken under one lock as far as the queue has room.
    func send(contentsOf items: some Collection<Item>) throws {
        var rest = items[...]
        condition.lock()
        defer { condition.unlock() }
        while !rest.isEmpty {
            while queue.count >= capacity, !cancelled { condition.wait() }
            guard !cancelled else { throw CancellationError() }
            let taken = rest.prefix(capacity - queue.count)
            queue.append(contentsOf: taken)
            rest = rest.dropFirst(taken.count)
            condition.broadcast()
        }
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

extension DocumentChannel {
    /// Runs `produce` on a thread of its own (8 MiB of stack, for libxml2's recursion), handing
    /// what it sends to `consume` on the caller's thread, at most `capacity` items waiting;
    /// `meanwhile` runs on the caller's thread once the producer has started. `produce` returns
    /// the number of items; its error, or `consume`'s (which stops the producer), is rethrown.
    /// The producer's thread has ended when this returns.
    static func pipe(
        capacity: Int, produce: @escaping @Sendable (DocumentChannel) throws -> Int, meanwhile: () throws -> Void = {},
        consume: ([Item]) throws -> Void
    ) throws -> Int {
        let channel = DocumentChannel(capacity: capacity)
        let producer = Thread {
            do {
                channel.finish(count: try produce(channel))
            } catch {
                channel.fail(error)
            }
        }
        producer.stackSize = 8 << 20
        producer.start()
        defer { channel.cancelAndWait() }
        try meanwhile()
        while let batch = try channel.receive() { try consume(batch) }
        return channel.count
    }
}
