import Foundation

/// Work done in order on a thread of its own, its results handed back in the same order on the
/// caller's thread. The payment import matches on one core while its connection writes on the
/// other (docs/performance.md). Unthreaded, each input is worked at once on the caller's thread:
/// the same results, one core (an in-memory database, whose one connection the work may read).
final class OrderedWorker<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Released by the thread as it ends, as `finish` returns: what the work holds (the payment
    /// register, 86,000 notices) is freed on that thread while the caller commits.
    private var work: (@Sendable (Input) throws -> Output)?
    private let threaded: Bool
    private let limit: Int
    // Guarded by `condition`.
    private var inputs: [Input] = []
    private var outputs: [Output] = []
    private var closed = false
    private var running = false
    private var failure: (any Error)?

    /// At most `limit` inputs wait for the thread; `submit` waits beyond that. The thread works
    /// inside `around` (which must call its argument once, or throw): the import holds a read
    /// transaction open there. What `around` throws fails the work.
    init(
        threaded: Bool, limit: Int = 8, around: @escaping @Sendable (() -> Void) throws -> Void = { $0() },
        work: @escaping @Sendable (Input) throws -> Output
    ) {
        self.work = work
        self.threaded = threaded
        self.limit = max(limit, 1)
        guard threaded else { return }
        running = true
        Thread.detachNewThread { [self] in
            let ended = Result { try around { loop() } }
            condition.lock()
            if case .failure(let error) = ended, failure == nil {
                failure = error
                inputs.removeAll()
                closed = true
            }
            running = false
            condition.broadcast()
            let work = self.work
            self.work = nil
            condition.unlock()
            _ = consume work
        }
    }

    /// Hands `input` on, and returns the outputs ready by now, in order; rethrows the work's error.
    func submit(_ input: Input) throws -> [Output] {
        guard threaded else { return [try work!(input)] }
        condition.lock()
        defer { condition.unlock() }
        while inputs.count >= limit, failure == nil { condition.wait() }
        if let failure { throw failure }
        inputs.append(input)
        condition.broadcast()
        return takeReady()
    }

    /// Waits for every input to be worked; returns the outputs not returned yet, in order.
    func finish() throws -> [Output] {
        guard threaded else { return [] }
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while running { condition.wait() }
        if let failure { throw failure }
        return takeReady()
    }

    /// Drops the inputs not yet worked and waits for the thread to end (the caller gave up).
    func cancel() {
        guard threaded else { return }
        condition.lock()
        closed = true
        inputs.removeAll()
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func takeReady() -> [Output] {
        defer { outputs.removeAll(keepingCapacity: true) }
        return outputs
    }

    private func loop() {
        while true {
            condition.lock()
            while inputs.isEmpty, !closed { condition.wait() }
            guard !inputs.isEmpty else {
                condition.unlock()
                return
            }
            let input = inputs.removeFirst()
            condition.broadcast()
            condition.unlock()
            let work = self.work!
            let result = Result { try work(input) }
            condition.lock()
            switch result {
            case .success(let output): outputs.append(output)
            case .failure(let error):
                failure = error
                inputs.removeAll()
                closed = true
            }
            condition.broadcast()
            condition.unlock()
        }
    }
}
