import Foundation
import FreedomPayCore
import FreedomPayWire
import Testing

@testable import FreedomPayServer

/// `SortedJSON` renders every answer the server stores and replays: it must give `JSONEncoder`'s exact bytes
/// (a retried request is answered byte for byte from the journal, whichever encoder wrote it), and hand anything
/// it cannot render exactly back to `JSONEncoder`.
@Suite struct SortedJSONTests {
    static func foundation(_ value: some Encodable, escapingSlashes: Bool = false) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapingSlashes ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    @Test func everyWireModelEncodesLikeJSONEncoder() throws {
        _ = OpenAPIDocument.make()
        var rendered = 0
        for model in WireSchema.probedModels {
            guard let value = try Self.sample(model) else { continue }
            for escaping in [false, true] {
                guard let fast = SortedJSON.encode(value, escapingSlashes: escaping) else { continue }
                rendered += 1
                let expected = try Self.foundation(value, escapingSlashes: escaping)
                #expect(fast == expected, "\(model): \(String(decoding: fast, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
            }
        }
        // Most answers are plain objects of strings and integers: the fast path must actually serve them.
        #expect(rendered >= 80, "only \(rendered) renderings took the fast path")
    }

    struct Sample: Encodable {
        var text = "a/b \"q\" back\\slash\ttab\nline\rret é ü 💳 \u{2028} \u{7f}"
        var number: Int64 = -9_223_372_036_854_775_808
        var unsigned: UInt8 = 255
        var flag = true
        var absent: String? = nil
        var present: String? = "x"
        var nested = [["b": 1, "a": 2, "a_b": 3, "aB": 4, "A": 5, "a10": 6, "a2": 7]]
        var empty: [String] = []
        var emptyObject: [String: Int] = [:]
        var matrix = [[1, 2], [], [3]]

        enum CodingKeys: String, CodingKey { case text, number, unsigned, flag, absent, present, nested, empty, matrix, emptyObject = "empty_object" }
    }

    /// Writes `present` as an explicit null and encodes two values into one object, as `CardAPIExecution` merges
    /// the envelope and the answer (the later write of a key wins in both encoders).
    struct Merged: Encodable {
        func encode(to encoder: any Encoder) throws {
            try Sample().encode(to: encoder)
            var container = encoder.container(keyedBy: Sample.CodingKeys.self)
            try container.encodeNil(forKey: .present)
            try container.encode("second", forKey: .text)
        }
    }

    @Test func escapesOrderingNullsAndMergesMatchJSONEncoder() throws {
        for escaping in [false, true] {
            let sample = try #require(SortedJSON.encode(Sample(), escapingSlashes: escaping))
            #expect(sample == (try Self.foundation(Sample(), escapingSlashes: escaping)))
            let merged = try #require(SortedJSON.encode(Merged(), escapingSlashes: escaping))
            #expect(merged == (try Self.foundation(Merged(), escapingSlashes: escaping)))
        }
    }

    struct Fraction: Encodable { var rate = 0.1 }
    struct Stamp: Encodable { var at = Date(timeIntervalSince1970: 1_700_000_000) }
    struct Control: Encodable { var text = "bell\u{7}" }
    struct Amount: Encodable { var amount = Decimal(string: "150.50")! }

    @Test func whatItCannotRenderExactlyGoesBackToJSONEncoder() throws {
        #expect(SortedJSON.encode(Fraction()) == nil)
        #expect(SortedJSON.encode(Stamp()) == nil)
        #expect(SortedJSON.encode(Control()) == nil)
        #expect(SortedJSON.encode(Amount()) == nil)
        // The server's encoder still answers them, with JSONEncoder's bytes.
        #expect(Array(buffer: JSONBody.encode(Fraction())) == (try Self.foundation(Fraction())))
        #expect(Array(buffer: JSONBody.encode(Control())) == (try Self.foundation(Control())))
        #expect(Array(buffer: JSONBody.encode(Sample())) == (try Self.foundation(Sample())))
    }

    static func sample(_ model: any Decodable.Type) throws -> (any Encodable)? {
        try typedSample(model)
    }

    static func typedSample<T: Decodable>(_ type: T.Type) throws -> (any Encodable)? {
        try WireSchema.sample(type) as? any Encodable
    }
}
