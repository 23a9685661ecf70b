import Foundation
import FreedomPayWire
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

extension TestClientProtocol {
    /// Sends `body` byte for byte with exactly the given headers (names as written), nothing signed for you.
    func raw(
        _ path: String, method: HTTPRequest.Method = .post, body: String = "", headers: [(String, String)] = [],
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        var fields: HTTPFields = [.contentType: contentType]
        for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return try await executeRequest(uri: path, method: method, headers: fields, body: ByteBuffer(string: body))
    }
}

/// Checks the Card API error envelope: HTTP status, JSON content type, `status`/`request_status` = error,
/// the exact `error_code` and `error_description`, and an RFC 3339 `dt`.
func expectCardAPIError(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ code: String, _ message: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
    let json = response.json
    #expect(json["status"] as? String == "error", sourceLocation: sourceLocation)
    #expect(json["request_status"] as? String == "error", sourceLocation: sourceLocation)
    #expect(json["error_code"] as? String == code, sourceLocation: sourceLocation)
    #expect(json["error_description"] as? String == message, sourceLocation: sourceLocation)
    #expect((json["dt"] as? String).flatMap(WireDate.parseRFC3339) != nil, "dt is not RFC 3339", sourceLocation: sourceLocation)
    #expect(Set(json.keys) == ["status", "request_status", "error_code", "error_description", "dt"], sourceLocation: sourceLocation)
}

/// Checks the Partner API error envelope, whose `error_code` is an integer (a string on E-Money routes).
func expectPartnerAPIError(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ code: Int, _ message: String, codeAsString: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, sourceLocation: sourceLocation)
    let json = response.json
    #expect(json["status"] as? String == "error", sourceLocation: sourceLocation)
    // E-Money routes (the string-code ones) report request status as its digit: 2 = processing error.
    #expect(json["request_status"] as? String == (codeAsString ? "2" : "error"), sourceLocation: sourceLocation)
    if codeAsString {
        #expect(json["error_code"] as? String == String(code), sourceLocation: sourceLocation)
    } else {
        // JSONSerialization hands integers back as NSNumber; a string "401" must not pass as an integer.
        #expect(json["error_code"] is NSNumber && (json["error_code"] as? Int) == code, sourceLocation: sourceLocation)
        #expect(response.text.contains("\"error_code\":\(code)"), sourceLocation: sourceLocation)
    }
    #expect(json["error_description"] as? String == message, sourceLocation: sourceLocation)
    #expect((json["dt"] as? String).flatMap(WireDate.parseRFC3339) != nil, sourceLocation: sourceLocation)
}

/// RFC 1321 MD5, written out here so Merchant API answers are checked against an implementation that
/// shares no code with the server's.
enum ReferenceMD5 {
    private static let shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                           5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                           4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                           6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    private static let constants: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4_294_967_296.0)) }

    static func hex(_ text: String) -> String {
        var message = Array(text.utf8)
        let bitLength = UInt64(message.count) * 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for index in 0..<8 { message.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(index)))) }
        var state: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476]
        for chunk in stride(from: 0, to: message.count, by: 64) {
            let words = (0..<16).map { index -> UInt32 in
                (0..<4).reduce(UInt32(0)) { $0 | UInt32(message[chunk + index * 4 + $1]) << (8 * UInt32($1)) }
            }
            var (a, b, c, d) = (state[0], state[1], state[2], state[3])
            for round in 0..<64 {
                var f: UInt32
                let g: Int
                switch round {
                case 0..<16: f = (b & c) | (~b & d); g = round
                case 16..<32: f = (d & b) | (~d & c); g = (5 * round + 1) % 16
                case 32..<48: f = b ^ c ^ d; g = (3 * round + 5) % 16
                default: f = c ^ (b | ~d); g = (7 * round) % 16
                }
                f = f &+ a &+ constants[round] &+ words[g]
                (a, d, c) = (d, c, b)
                b = b &+ (f << shifts[round] | f >> (32 - shifts[round]))
            }
            state = [state[0] &+ a, state[1] &+ b, state[2] &+ c, state[3] &+ d]
        }
        return state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) } }
            .map { String(format: "%02x", $0) }.joined()
    }

    /// `pg_sig` of a flat parameter list, by the docs' rule: script; values sorted by name; secret.
    static func pgSig(script: String, fields: [(name: String, value: String)], secret: String) -> String {
        let values = fields.filter { $0.name != "pg_sig" }
            .sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
            .map(\.value)
        return hex(([script] + values + [secret]).joined(separator: ";"))
    }
}

@Suite struct ReferenceMD5Tests {
    @Test func knownDigests() {
        #expect(ReferenceMD5.hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(ReferenceMD5.hex("The quick brown fox jumps over the lazy dog") == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(ReferenceMD5.hex(String(repeating: "a", count: 200)) == "887f30b43b2867f4a9accceee7d16e6c")
        #expect(ReferenceMD5.hex("result;Order paid;abc123;ok;secret") == "102a8d68d1a3464b9ff00f93b24f2a21")
    }
}
