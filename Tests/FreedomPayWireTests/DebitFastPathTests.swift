import Foundation
import Testing

@testable import FreedomPayWire

/// The debit's fast paths (session 6) must give exactly what the Foundation code they skip gives: the flat body
/// decoder the value `JSONDecoder` decodes (or nothing, leaving the decision to it), the `dt` cache the text the
/// formatter prints.
@Suite struct DebitFastPathTests {
    static let debit = #"{"request_id":"9f3c2a10-0000-4000-8000-000000000001","order_id":"bench-1","card_id":"12345678","type":"debit","amount":"1.50","currency":"KZT"}"#

    static func fields(_ request: CreateTransactionRequest) -> [String?] {
        [request.requestID, request.orderID, request.cardID, request.type, request.amount.text, request.currency, request.description]
    }

    /// The fast path answers only where JSONDecoder answers the same; where it declines, JSONDecoder decides.
    static func expectAgreement(_ document: [UInt8], _ comment: Comment? = nil) {
        let reference = try? JSONDecoder().decode(CreateTransactionRequest.self, from: Data(document))
        guard let fast = CreateTransactionRequest.decodeFlat(document) else { return }
        #expect(reference.map(fields) == fields(fast), comment)
    }

    @Test func commonBodiesTakeTheFastPathWithTheSameValues() throws {
        let documents = [
            Self.debit,
            #"{"request_id":"r1","order_id":"o1","card_id":"c1","type":"credit","amount":"1000000","currency":"KZT","description":"top-up é ✓"}"#,
            #" { "amount" : "0.01" , "currency":"USD","type":"debit","card_id":"c","order_id":"o","request_id":"r" } "#,
            #"{"request_id":"r","order_id":"o","card_id":"c","type":"debit","amount":"1","currency":"KZT","unknown":"ignored"}"#,
            #"{"request_id":"","order_id":"","card_id":"","type":"","amount":"","currency":""}"#,
            "{\"request_id\":\"r\",\n\t\"order_id\":\"o\",\r\n\"card_id\":\"c\",\"type\":\"debit\",\"amount\":\"x/y\",\"currency\":\"KZT\"}",
        ]
        for document in documents {
            let bytes = Array(document.utf8)
            let fast = try #require(CreateTransactionRequest.decodeFlat(bytes), "\(document)")
            let reference = try JSONDecoder().decode(CreateTransactionRequest.self, from: Data(bytes))
            #expect(Self.fields(fast) == Self.fields(reference), "\(document)")
        }
    }

    /// Shapes only JSONDecoder may judge (it accepts some, refuses others, with its own messages): never the fast path.
    @Test func unusualBodiesAreLeftToJSONDecoder() {
        let documents = [
            #"{"request_id":"r","order_id":"o","card_id":"c","type":"debit","amount":1.50,"currency":"KZT"}"#,
            #"{"request_id":"r","order_id":"o","card_id":"c","type":"debit","amount":"1","currency":"KZT","description":null}"#,
            #"{"request_id":"r","order_id":"o","card_id":"c","type":"debit","amount":"1"}"#,
            #"{"request_id":"r","order_id":"o","card_id":"c","type":"debit","amount":"1","currency":"KZT","currency":"USD"}"#,
            #"{"request_id":"r\u0031","order_id":"o","card_id":"c","type":"debit","amount":"1","currency":"KZT"}"#,
            #"{"request_id":"r","order_id":"o\/1","card_id":"c","type":"debit","amount":"1","currency":"KZT"}"#,
            #"{"request_id":"r","order_id":"o","card_id":"c","type":"debit","amount":"1","currency":"KZT","meta":{"a":"b"}}"#,
            #"{"request_id":"r","order_id":"o","card_id":"c","type":"debit","amount":"1","currency":"KZT"} x"#,
            #"{"request_id":"r","order_id":"o","card_id":"c","type":"debit","amount":"1","currency":"KZT"}}"#,
            #"{"request_id":"r","order_id":"o","card_id":"c","type":"debit","amount":"1","currency":"KZT",}"#,
            #"{"request_id":"r" "order_id":"o","card_id":"c","type":"debit","amount":"1","currency":"KZT"}"#,
            #"[{"request_id":"r"}]"#, "{}", "", "{", #"{"request_id":"r"#,
            "{\"request_id\":\"r\u{1}\",\"order_id\":\"o\",\"card_id\":\"c\",\"type\":\"debit\",\"amount\":\"1\",\"currency\":\"KZT\"}",
        ]
        for document in documents {
            #expect(CreateTransactionRequest.decodeFlat(Array(document.utf8)) == nil, "\(document)")
        }
        // Invalid UTF-8 inside a string: JSONDecoder refuses it, so must the fast path.
        var invalid = Array(Self.debit.utf8)
        invalid[invalid.firstIndex(of: UInt8(ascii: "b"))!] = 0xFF
        #expect(CreateTransactionRequest.decodeFlat(invalid) == nil)
    }

    /// Random single-byte edits of a real debit body (quotes, backslashes, braces, separators, digits, control and
    /// non-ASCII bytes): whenever the fast path answers, JSONDecoder answers the same.
    @Test func randomEditsNeverMakeTheFastPathDisagree() {
        let alphabet: [UInt8] = Array(#"{}[]":,\ 0123456789abcnrtu-.e"#.utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
        let base = Array(Self.debit.utf8)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            var document = base
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<document.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: document[position] = alphabet.randomElement(using: &generator)!
                case 1: document.insert(alphabet.randomElement(using: &generator)!, at: position)
                default: if document.count > 1 { document.remove(at: position) }
                }
            }
            Self.expectAgreement(document, "\(String(decoding: document, as: UTF8.self))")
        }
    }

    /// The cached `dt` equals a fresh formatting for instants inside a second, at its edges, before 1970 and in
    /// zones with other offsets (the cache holds one second and one zone at a time).
    @Test func rfc3339CacheAgreesWithTheFormatter() throws {
        let zones = try ["UTC", "Asia/Almaty", "America/New_York", "Asia/Kolkata"].map { try #require(TimeZone(identifier: $0)) }
        let seconds: [Double] = [0, 1, 1_700_000_000, 1_741_503_599, 1_741_503_600, 1_762_063_200, -1, -86_400.5]
        let fractions: [Double] = [0, 0.000_000_1, 0.25, 0.5, 0.9, 0.998_9, 0.999, 0.999_9, 0.999_999_9]
        for zone in zones + [TimeZone.current] {
            for second in seconds {
                for fraction in fractions + fractions.reversed() {
                    let date = Date(timeIntervalSince1970: second + fraction)
                    #expect(WireDate.rfc3339(date, timeZone: zone) == WireDate.formatRFC3339(date, timeZone: zone), "\(second + fraction) \(zone.identifier)")
                }
            }
        }
        // The same second in two zones, alternately: each answer in its own zone.
        let date = Date(timeIntervalSince1970: 1_700_000_000.3)
        for zone in zones + zones {
            #expect(WireDate.rfc3339(date, timeZone: zone) == WireDate.formatRFC3339(date, timeZone: zone))
        }
        #expect(WireDate.rfc3339(date, timeZone: zones[1]).hasSuffix("+06:00") || WireDate.rfc3339(date, timeZone: zones[1]).hasSuffix("+05:00"))
    }
}
