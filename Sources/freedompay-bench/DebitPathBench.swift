import ArgumentParser
import Crypto
import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayStore
import FreedomPayWire

/// Thread CPU time of single steps of a debit, before and after session 6, in one thread and one loop each:
/// on a machine shared with other work these differences are steadier than any HTTP throughput.
struct DebitPathBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "debit-steps", abstract: "CPU per step of a debit: old and new code side by side.")

    @Option(help: "Iterations per step.") var iterations = 20_000

    func run() async throws {
        let body = Array(#"{"request_id":"9f3c2a10-0000-4000-8000-000000000001","order_id":"bench-1-123","card_id":"12345678","type":"debit","amount":"1.50","currency":"KZT"}"#.utf8)
        report("body decode: JSONDecoder", step { _ = try? JSONDecoder().decode(CreateTransactionRequest.self, from: Data(body)) })
        report("body decode: JSONBody (flat fast path)", step { _ = try? JSONBody.decode(CreateTransactionRequest.self, from: body) })
        report("dt: ISO8601FormatStyle (as WireDate did)", step { _ = Self.formatted(.now, timeZone: .current) })
        report("dt: WireDate.rfc3339 (cached per second)", step { _ = WireDate.rfc3339(.now) })
        report("card expiry: Calendar", step { _ = Self.calendarEnd(month: 12, year: 2030) })
        report("card expiry: CardExpiry arithmetic", step { _ = CardExpiry.end(month: 12, year: 2030) })
        let answer = DebitAnswerShape(dt: WireDate.rfc3339(.now), transactionID: "176373000000012345")
        report("answer JSON: SortedJSON (debit answer + outcome shape)", step { _ = SortedJSON.encode(answer) })
        let envelope = CardAPIStatusResponse(requestStatus: .success, dt: answer.dt)
        let created = CreateTransactionAnswer(transactionID: answer.transactionID)
        let outcome = [FlatJSONMember("transaction_id", answer.transactionID), FlatJSONMember("fin_document_id", "FD-1234567890")]
        report("answer + outcome JSON: SortedJSON.encodeFlat", step {
            _ = SortedJSON.encodeFlat([envelope.flatJSONMembers, created.flatJSONMembers])
            _ = SortedJSON.encodeFlat([outcome], escapingSlashes: true)
        })
        report("answer + outcome JSON: SortedJSON.encode (before)", step {
            _ = SortedJSON.encode(answer)
            _ = SortedJSON.encode(["transaction_id": answer.transactionID, "fin_document_id": "FD-1234567890"], escapingSlashes: true)
        })
        // The signing input of a debit's JWS (header segment + "." + base64url body): ~330 bytes.
        let input = [UInt8](repeating: 65, count: 330), secret = SymmetricKey(data: Array("partner-secret-0123456789abcdef".utf8))
        report("HS512 MAC: key set up per message (before session 8)", step { _ = HMAC<SHA512>.authenticationCode(for: input, using: secret) })
        let keyed = HMAC<SHA512>(key: secret)
        report("HS512 MAC: keyed state copied per message", step {
            var mac = keyed
            mac.update(data: input)
            _ = mac.finalize()
        })
        try await cardReads()
    }

    /// The card read inside a write transaction, full record (with sealed PAN/CVV) against the narrow state.
    private func cardReads() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fp-steps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("steps.sqlite").path)
        try await Schema.migrate(store)
        let service = CardService(secrets: SecretBox(current: .generate()))
        let credentials = CredentialsRepository(secrets: SecretBox(current: .generate()))
        let (partner, card) = try await store.write { db in
            let partner = try await credentials.createPartner(name: "Steps", in: db).id
            let client = try await service.addClient(
                ClientAddRequest(requestID: "r", productID: 2000, client: ClientData(phone: 77_000_000_001, type: 1, resident: 1, firstName: "A", lastName: "B")),
                partner: partner, now: .now, in: db)
            return (partner, try await service.issue(.init(kind: .virtual, productID: 2000, clientID: client), partner: partner, now: .now, in: db)[0])
        }
        let count = iterations
        let full = try await store.write { db in
            try await Self.timed(count) { _ = try await service.cards.find(card, partner: partner, in: db)?.status(at: .now) }
        }
        let narrow = try await store.write { db in
            try await Self.timed(count) { _ = try await service.cards.state(card, partner: partner, in: db)?.status(at: .now) }
        }
        // What any statement costs on the writer (GRDB dispatch, statement cache, bind, step), for scale.
        let probe = try await store.write { db in
            try await Self.timed(count) { _ = try await db.query("SELECT id FROM partners WHERE id = ?", [.integer(partner.rawValue)]) }
        }
        let savepoints = try await store.write { db in
            try await Self.timed(count) {
                try await db.execute("SAVEPOINT member", [])
                try await db.execute("RELEASE member", [])
            }
        }
        report("card read + status: CardRepository.find (old path)", full)
        report("card read + status: CardRepository.state", narrow)
        report("for scale: one-row primary-key SELECT", probe)
        report("for scale: SAVEPOINT + RELEASE (per group-commit member)", savepoints)
        try await store.close()
    }

    private func step(_ body: () -> Void) -> Double {
        let start = Self.threadCPU()
        for _ in 0..<iterations { body() }
        return (Self.threadCPU() - start) / Double(iterations)
    }

    private static func timed(_ count: Int, _ body: () async throws -> Void) async rethrows -> Double {
        let start = threadCPU()
        for _ in 0..<count { try await body() }
        return (threadCPU() - start) / Double(count)
    }

    private func report(_ name: String, _ micros: Double) {
        print(name.padding(toLength: 56, withPad: " ", startingAt: 0) + String(format: "%8.2f µs CPU per call", micros))
    }

    /// CPU time of the calling thread in µs (the writer bodies above run on the store's writer thread, in one job).
    static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
    }

    /// `WireDate.rfc3339` before session 6: a format style built per call.
    static func formatted(_ date: Date, timeZone: TimeZone) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: timeZone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        return date.formatted(style)
    }

    /// The expiry computation the card path used before session 6.
    static func calendarEnd(month: Int, year: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let next = month == 12 ? DateComponents(year: year + 1, month: 1, day: 1) : DateComponents(year: year, month: month + 1, day: 1)
        return calendar.date(from: next) ?? .distantFuture
    }
}

/// The shape of a debit's answer (envelope and answer fields, as `CardAPIExecution` merges them).
private struct DebitAnswerShape: Encodable {
    var status = "ok"
    var requestStatus = "success"
    var dt: String
    var transactionID: String

    enum CodingKeys: String, CodingKey {
        case status, dt
        case requestStatus = "request_status"
        case transactionID = "transaction_id"
    }
}
