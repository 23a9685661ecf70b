import Crypto
import Foundation
import Testing

@testable import FreedomPayWire

/// The table-driven Base64URL and the minimal header parser must agree with the Foundation
/// implementations they replaced on the hot path, on valid and hostile input alike.
@Suite struct JWSFastPathTests {
    /// Foundation's base64 with the URL alphabet and padding rules, as `Base64URL.decode` used to be written.
    static func referenceDecode(_ text: String) -> [UInt8]? {
        var base64 = text
        if base64.hasSuffix("=") { base64 = String(base64.prefix { $0 != "=" }) }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        guard base64.utf8.allSatisfy({ alphabet.contains($0) }) else { return nil }
        base64 = base64.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }

    @Test func encodeMatchesFoundationForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let reference = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == reference)
            #expect(Base64URL.encode(AnySequence(bytes)) == reference)
            #expect(Base64URL.decode(reference) == bytes)
            #expect(Base64URL.decode(Substring(reference)) == bytes)
        }
    }

    /// Random strings over the alphabet plus '=', '+', '/', '.', ' ' and a non-ASCII letter: same answer as Foundation.
    @Test func decodeMatchesFoundationOnArbitraryText() {
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_-_==+/. é")
        for _ in 0..<5_000 {
            let text = String((0..<Int.random(in: 0...12)).map { _ in characters.randomElement()! })
            #expect(Base64URL.decode(text) == Self.referenceDecode(text), "\(text)")
        }
        for text in ["Zh", "Zm9=", "Zm9vYm=", "Zg=x=", "====", "Zg==="] {
            #expect(Base64URL.decode(text) == Self.referenceDecode(text), "\(text)")
        }
    }

    /// The minimal parser answers exactly as `JSONDecoder` on every shape a client might send.
    @Test func headerParserAgreesWithJSONDecoder() throws {
        let documents = [
            #"{"uri":"/v5/card-api/transaction/create","auth_id":"123456","method":"POST","params":"","alg":"HS512"}"#,
            #"{"alg":"HS512","params":"a=1","method":"post","auth_id":"1","uri":"/x"}"#,
            #" { "uri" : "/x" ,"auth_id":"1","method":"POST","params":"","alg":"HS512" } "#,
            #"{"uri":"\/v5\/x","auth_id":"1","method":"POST","params":"","alg":"HS512"}"#,
            #"{"uri":"/x","auth_id":"\u0031","method":"POST","params":"","alg":"HS512"}"#,
            #"{"uri":"/x","auth_id":"1","method":"POST","params":"","alg":"HS512","typ":"JWT"}"#,
            #"{"uri":"/x","auth_id":"1","method":"POST","params":"","alg":"HS512","kid":7}"#,
            #"{"uri":"/x","auth_id":"1","method":"POST","params":"","alg":"HS512","uri":"/y"}"#,
            #"{"uri":"/x","auth_id":1,"method":"POST","params":"","alg":"HS512"}"#,
            #"{"uri":"/x","auth_id":"1","method":"POST","alg":"HS512"}"#,
            #"{"uri":"/x","auth_id":"1","method":"POST","params":"","alg":"HS512"} x"#,
            #"{"uri":"/x","auth_id":"1","method":"POST","params":"","alg":"HS512",}"#,
            #"{"uri":"/ü","auth_id":"1","method":"POST","params":"","alg":"HS512"}"#,
            #"["uri"]"#, "{}", "", "null", #"{"uri":"/x"#,
        ]
        for document in documents {
            let bytes = Array(document.utf8)
            let reference = try? JSONDecoder().decode(JWSHeader.self, from: Data(bytes))
            #expect(JWSHeader.decode(json: bytes) == reference, "\(document)")
        }
        let invalidUTF8: [UInt8] = Array(#"{"uri":"/"#.utf8) + [0xC3, 0x28] + Array(#"","auth_id":"1","method":"POST","params":"","alg":"HS512"}"#.utf8)
        #expect(JWSHeader.decode(json: invalidUTF8) == (try? JSONDecoder().decode(JWSHeader.self, from: Data(invalidUTF8))))
    }

    /// The HMAC fed in parts equals the HMAC of the joined signing input.
    @Test func partwiseMACEqualsJoinedMAC() {
        let body = Array(#"{"request_id":"x","amount":"1.50"}"#.utf8)
        let header = Base64URL.encode(JWSHeader(uri: "/x", authID: "1", alg: .hs512).compactJSON())
        for algorithm in JWSAlgorithm.allCases {
            let joined = algorithm.mac(key: Array("k".utf8), message: Array((header + "." + Base64URL.encode(body)).utf8))
            let parts = algorithm.mac(key: Array("k".utf8), parts: DetachedJWS.signingInputParts(headerSegment: Array(header.utf8), body: body))
            #expect(joined == parts)
        }
    }
}

/// `DetachedJWS.DecodedHeaders`: a repeated header segment is answered from memory, exactly as decoding it would.
@Suite struct DecodedHeaderCacheTests {
    static let body = Array(#"{"request_id":"r-1"}"#.utf8)

    static func token(uri: String, authID: String = "123456") -> String {
        DetachedJWS.sign(body: body, header: JWSHeader(uri: uri, authID: authID, alg: .hs512), secret: "s3cret")
    }

    @Test func aRepeatedHeaderParsesToTheSameHeaderAndStillVerifies() throws {
        let value = Self.token(uri: "/v5/card-api/cache-\(UUID().uuidString)")
        let first = try DetachedJWS.parse(value)
        #expect(DetachedJWS.DecodedHeaders.shared.header(for: first.headerSegmentBytes) == first.header)
        let second = try DetachedJWS.parse(value)
        #expect(second.header == first.header && second.signature == first.signature)
        try second.verify(body: Self.body, secret: "s3cret", algorithm: .hs512, method: "POST", path: first.header.uri, query: "")
        #expect(throws: JWSError.badSignature) {
            try second.verify(body: Self.body, secret: "other", algorithm: .hs512, method: "POST", path: first.header.uri, query: "")
        }
    }

    /// A cached header says nothing about another segment: a one-character change is decoded (and refused) anew.
    @Test func aTamperedSegmentIsDecodedNotLookedUp() throws {
        let value = Self.token(uri: "/v5/card-api/cache-\(UUID().uuidString)")
        _ = try DetachedJWS.parse(value)
        let tampered = "!" + value.dropFirst()
        #expect(throws: JWSError.malformed("header segment is not base64url")) { try DetachedJWS.parse(tampered) }
        let otherPartner = Self.token(uri: "/v5/card-api/x", authID: "654321")
        #expect(try DetachedJWS.parse(otherPartner).header.authID == "654321")
    }

    @Test func theCacheIsBounded() {
        let cache = DetachedJWS.DecodedHeaders(capacity: 8)
        for index in 0..<20 {
            cache.remember(JWSHeader(uri: "/\(index)", authID: "1", alg: .hs512), for: Array("segment-\(index)".utf8))
            #expect(cache.count <= 8)
        }
        #expect(cache.header(for: Array("segment-19".utf8))?.uri == "/19")
    }
}

/// `JWSAlgorithm.KeyedMACs`: a keyed HMAC state reused for many messages and keys, concurrently, computes what a
/// freshly keyed HMAC does (RFC 4231 vectors, and every other message against swift-crypto directly).
@Suite struct KeyedMACCacheTests {
    static func fresh(_ algorithm: JWSAlgorithm, key: [UInt8], message: [UInt8]) -> [UInt8] {
        switch algorithm {
        case .hs256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        case .hs512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        }
    }

    @Test func rfc4231Case2ThroughTheCache() {
        let key = Array("Jefe".utf8), message = Array("what do ya want for nothing?".utf8)
        for _ in 0..<3 {
            #expect(Hex.encode(JWSAlgorithm.hs256.mac(key: key, message: message))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
            #expect(Hex.encode(JWSAlgorithm.hs512.mac(key: key, message: message))
                == "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737")
        }
    }

    @Test func concurrentUseOfSharedKeysMatchesFreshHMACs() async {
        let keys = (0..<4).map { Array("secret-\($0)-\(UUID().uuidString)".utf8) }
        await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var matched = true
                    for round in 0..<200 {
                        let algorithm = JWSAlgorithm.allCases[(task + round) % 2]
                        let key = keys[(task * 7 + round) % keys.count]
                        let message = Array("message \(task) \(round) \(String(repeating: "x", count: round))".utf8)
                        matched = matched && algorithm.mac(key: key, message: message) == Self.fresh(algorithm, key: key, message: message)
                    }
                    return matched
                }
            }
            for await matched in group { #expect(matched) }
        }
    }

    @Test func theCacheIsBounded() {
        let cache = JWSAlgorithm.KeyedMACs(capacity: 4)
        for index in 0..<10 {
            _ = cache.keyed(.hs512, key: Array("k\(index)".utf8))
            #expect(cache.count <= 4)
        }
    }
}
