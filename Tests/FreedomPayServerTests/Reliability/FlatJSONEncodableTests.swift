import Foundation
@testable import FreedomPayCore
import FreedomPayWire
import Testing

@testable import FreedomPayServer

/// `SortedJSON.encodeFlat` writes the debit's answer and outcome without the `Encoder`: byte for byte what
/// `JSONEncoder` (sorted keys) writes for the same values, merged as `CardAPIExecution` merges envelope and answer,
/// and nil (the caller falls back) where a control character needs an escape it does not reproduce.
@Suite struct FlatJSONEncodableTests {
    static let texts = ["", "plain", "a/b \"q\" back\\slash\ttab\nline\rret é ü 💳 \u{2028} \u{7f}", "Z", "status_"]

    /// Encodes two values into one object, as `CardAPIExecution` does with the envelope and the answer.
    struct Pair<First: Encodable, Second: Encodable>: Encodable {
        let first: First
        let second: Second

        func encode(to encoder: any Encoder) throws {
            try first.encode(to: encoder)
            try second.encode(to: encoder)
        }
    }

    /// A flat answer that repeats an envelope key: the later value wins in both encoders.
    struct Overriding: Encodable, FlatJSONEncodable {
        var status: String
        var extra: String?

        var flatJSONMembers: [FlatJSONMember] { [.init("status", status), .init("extra", extra)] }
    }

    static func envelopes() -> [CardAPIStatusResponse] {
        var all: [CardAPIStatusResponse] = []
        for text in texts {
            for status in RequestStatus.allCases {
                all.append(CardAPIStatusResponse(requestStatus: status, dt: text))
                all.append(CardAPIStatusResponse(status: text, requestStatus: status, dt: "2026-11-22T04:00:00+05:00", errorCode: text, errorDescription: text))
            }
        }
        return all
    }

    @Test func flatAnswersAndMergesMatchJSONEncoder() throws {
        for escaping in [false, true] {
            for envelope in Self.envelopes() {
                let alone = try #require(SortedJSON.encodeFlat([envelope.flatJSONMembers], escapingSlashes: escaping))
                #expect(alone == (try SortedJSONTests.foundation(envelope, escapingSlashes: escaping)))
                for text in Self.texts {
                    let answer = CreateTransactionAnswer(transactionID: text)
                    let merged = try #require(SortedJSON.encodeFlat([envelope.flatJSONMembers, answer.flatJSONMembers], escapingSlashes: escaping))
                    #expect(merged == (try SortedJSONTests.foundation(Pair(first: envelope, second: answer), escapingSlashes: escaping)))
                    let overriding = Overriding(status: text, extra: text.isEmpty ? nil : text)
                    let replaced = try #require(SortedJSON.encodeFlat([envelope.flatJSONMembers, overriding.flatJSONMembers], escapingSlashes: escaping))
                    #expect(replaced == (try SortedJSONTests.foundation(Pair(first: envelope, second: overriding), escapingSlashes: escaping)))
                }
            }
        }
        let envelope = CardAPIStatusResponse(requestStatus: .success, dt: "2026-11-22T04:00:00+05:00")
        let empty = try #require(SortedJSON.encodeFlat([envelope.flatJSONMembers, EmptyAnswer().flatJSONMembers]))
        #expect(empty == (try SortedJSONTests.foundation(Pair(first: envelope, second: EmptyAnswer()))))
    }

    @Test func outcomesMatchJSONEncoder() throws {
        for text in Self.texts {
            let outcomes = [
                RequestOutcome(),
                RequestOutcome(transactionID: text, finDocumentID: "FD-1234567890"),
                RequestOutcome(clientID: text, transactionID: text, finDocumentID: text, errorCode: text, errorDescription: text),
            ]
            for outcome in outcomes {
                let flat = try #require(SortedJSON.encodeFlat([outcome.flatJSONMembers], escapingSlashes: true))
                #expect(flat == (try SortedJSONTests.foundation(outcome, escapingSlashes: true)))
            }
        }
    }

    @Test func controlCharactersGoBackToJSONEncoder() throws {
        let answer = CreateTransactionAnswer(transactionID: "bell\u{7}")
        #expect(SortedJSON.encodeFlat([answer.flatJSONMembers]) == nil)
        // The answer still goes out, through JSONEncoder, and says the same as JSONEncoder would.
        let json = CardAPIExecution.encode(answer, requestStatus: .success)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(decoded?["transaction_id"] == "bell\u{7}")
        #expect(decoded?["request_status"] == "success")
    }
}
