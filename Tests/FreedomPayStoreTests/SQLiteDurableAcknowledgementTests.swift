import Foundation
import FreedomPayCore
@testable import FreedomPayStore
import Synchronization
import Testing

/// A write is answered only after its WAL frames are flushed, and a failed flush stops the store from writing.
@Suite struct SQLiteDurableAcknowledgementTests {
    /// A flush the test holds back until it opens the gate, counting the flushes that started.
    final class Gate: Sendable {
        private let state = Mutex((open: false, started: 0, failure: StoreError?.none))

        var started: Int { state.withLock { $0.started } }
        func open() { state.withLock { $0.open = true } }
        func fail(with failure: StoreError) { state.withLock { $0.failure = failure; $0.open = true } }

        func flush() -> StoreError? {
            state.withLock { $0.started += 1 }
            while !state.withLock({ $0.open }) { usleep(1_000) }
            return state.withLock { $0.failure }
        }
    }

    static func store(_ temp: TempStore, gate: Gate) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: temp.path, flusher: SQLiteWALFlusher(flush: { gate.flush() }))
        gate.open()
        try await Schema.migrate(store)
        return store
    }

    static let insert = "INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (?, ?, ?, ?, 0)"

    @Test func aCommittedWriteIsAnsweredOnlyAfterItsFlush() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let gate = Gate()
        let store = try await Self.store(temp, gate: gate)
        let held = Gate()
        let heldStore = try SQLiteStore(path: temp.path, flusher: SQLiteWALFlusher(flush: { held.flush() }))
        let answered = Mutex(false)
        let write = Task {
            try await heldStore.write { db in try await db.execute(Self.insert, [.integer(7), .text("held"), .blob([0]), .blob([0])]) }
            answered.withLock { $0 = true }
        }
        while held.started == 0 { try await Task.sleep(for: .milliseconds(5)) }
        // Committed (another connection reads it) but not flushed: the caller is still waiting.
        let visible = try await store.read { db in try await db.query("SELECT name FROM merchants WHERE id = 7", []) }
        #expect(visible.count == 1)
        try await Task.sleep(for: .milliseconds(50))
        #expect(answered.withLock { $0 } == false)
        held.open()
        _ = try await write.value
        #expect(answered.withLock { $0 })
        try await heldStore.close()
        try await store.close()
    }

    @Test func aFailedFlushFailsItsCallersAndEveryLaterWrite() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let gate = Gate()
        let store = try await Self.store(temp, gate: gate)
        let failing = Gate()
        let failingStore = try SQLiteStore(path: temp.path, flusher: SQLiteWALFlusher(flush: { failing.flush() }))
        failing.fail(with: .unavailable("disk gone"))
        await #expect(throws: StoreError.unavailable("disk gone")) {
            try await failingStore.write { db in try await db.execute(Self.insert, [.integer(8), .text("lost"), .blob([0]), .blob([0])]) }
        }
        let flushesBefore = failing.started
        await #expect(throws: StoreError.unavailable("disk gone")) {
            try await failingStore.write { db in try await db.execute(Self.insert, [.integer(9), .text("refused"), .blob([0]), .blob([0])]) }
        }
        // The later write was refused before it ran: nothing committed, nothing to flush.
        #expect(failing.started == flushesBefore)
        let rows = try await store.read { db in try await db.query("SELECT id FROM merchants WHERE id = 9", []) }
        #expect(rows.isEmpty)
        try await failingStore.close()
        try await store.close()
    }

    /// Only the first flush waits for the gate (and fails if told so); later flushes return at once.
    final class FirstFlushGate: Sendable {
        let gate = Gate()
        private let calls = Mutex(0)

        func flush() -> StoreError? {
            let call = calls.withLock { calls -> Int in
                calls += 1
                return calls
            }
            return call == 1 ? gate.flush() : nil
        }
    }

    /// Two flush rounds overlap, the later one finishes first: its caller still waits for the earlier round,
    /// and fails with it, because its batch was built on the earlier batch's writes.
    @Test(arguments: [false, true])
    func overlappingRoundsAreAnsweredInCommitOrder(firstFails: Bool) async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let setup = try await Self.store(temp, gate: Gate())
        try await setup.close()
        let first = FirstFlushGate()
        let store = try SQLiteStore(path: temp.path, flusher: SQLiteWALFlusher(maxRoundsInFlight: 2, flush: { first.flush() }))
        let answers = Answers()
        let earlier = answers.write(20, to: store)
        while first.gate.started == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let later = answers.write(21, to: store)
        try await Task.sleep(for: .milliseconds(100))
        // The later round's flush is done, but the earlier round is not: nobody has been answered.
        #expect(answers.all.isEmpty)
        if firstFails { first.gate.fail(with: .unavailable("disk gone")) } else { first.gate.open() }
        await earlier.value
        await later.value
        #expect(answers.all == [20: !firstFails, 21: !firstFails])
        try await store.close()
    }

    /// Which writes were answered, and whether they succeeded.
    final class Answers: Sendable {
        private let state = Mutex([Int: Bool]())
        var all: [Int: Bool] { state.withLock { $0 } }

        func write(_ id: Int64, to store: SQLiteStore) -> Task<Void, Never> {
            Task {
                let succeeded = (try? await store.write { db in
                    try await db.execute(SQLiteDurableAcknowledgementTests.insert, [.integer(id), .text("m\(id)"), .blob([0]), .blob([0])])
                }) != nil
                self.state.withLock { $0[Int(id)] = succeeded }
            }
        }
    }

    /// Committed pages reach the database file without any writer checkpointing them (the writer's own
    /// auto-checkpoint only starts at 64 MiB of WAL): the background checkpointer copies them.
    @Test func theBackgroundCheckpointerCopiesTheWALIntoTheDatabase() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        let size = { (try? FileManager.default.attributesOfItem(atPath: temp.path)[.size] as? Int) ?? 0 }
        let before = size()
        let payload = SQLValue.blob([UInt8](repeating: 7, count: 4_000))
        try await store.write { db in
            for id in 1...300 { try await db.execute(Self.insert, [.integer(Int64(1_000 + id)), .text("m\(id)"), payload, payload]) }
        }
        let deadline = Date().addingTimeInterval(10)
        while size() < before + 1_000_000, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(size() >= before + 1_000_000, "database file \(before) -> \(size()) bytes")
        try await store.close()
    }
}

extension SQLiteDurableAcknowledgementTests {
    /// A write that arrives after the store closed fails (as GRDB fails on a closed database); it must not wait
    /// forever on the writer thread that closing stopped. The limit only catches a hang: the full suite keeps
    /// both cores busy for minutes, and a minute was seen to pass before this test got its turn.
    @Test(.timeLimit(.minutes(4))) func aWriteAfterCloseFailsInsteadOfHanging() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        try await store.close()
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: (any Error).self) {
            try await store.write { db in try await db.execute(Self.insert, [.integer(30), .text("late"), .blob([0]), .blob([0])]) }
        }
    }
}
