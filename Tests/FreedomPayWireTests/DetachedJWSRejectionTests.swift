import Foundation
import Testing

@testable import FreedomPayWire

/// Every way a detached JWS must be refused, at the wire level (the HTTP tests check the envelopes).
@Suite struct DetachedJWSRejectionTests {
    let path = "/v5/card-api/request/status"
    let body = Array(#"{"request_id":"828cf71d-a447-4a67-a149-c1df8bc197ca"}"#.utf8)
    let secret = "secret"

    func signed(_ header: JWSHeader? = nil, body: [UInt8]? = nil) -> String {
        DetachedJWS.sign(body: body ?? self.body, header: header ?? JWSHeader(uri: path, authID: "123456", alg: .hs512), secret: secret)
    }

    func verify(_ value: String, body: [UInt8]? = nil, secret: String? = nil, algorithm: JWSAlgorithm = .hs512,
                method: String = "POST", path: String? = nil, query: String = "") throws(JWSError) {
        try DetachedJWS.parse(value).verify(
            body: body ?? self.body, secret: secret ?? self.secret, algorithm: algorithm, method: method,
            path: path ?? self.path, query: query)
    }

    @Test func tamperedBodyByOneByte() {
        var tampered = body
        tampered[tampered.count - 3] ^= 0x01
        #expect(throws: JWSError.badSignature) { try verify(signed(), body: tampered) }
    }

    @Test func wrongSecret() {
        #expect(throws: JWSError.badSignature) { try verify(signed(), secret: "secreT") }
    }

    @Test func wrongAlgorithm() {
        let hs256 = signed(JWSHeader(uri: path, authID: "123456", alg: .hs256))
        #expect(throws: JWSError.unsupportedAlgorithm("HS256")) { try verify(hs256) }
        let hs512 = signed()
        #expect(throws: JWSError.unsupportedAlgorithm("HS512")) { try verify(hs512, algorithm: .hs256) }
    }

    /// `alg: none` with an empty signature is not even well-formed; with any signature it is refused by name.
    @Test func algNone() {
        let header = Base64URL.encode(Array(#"{"uri":"/v5/card-api/request/status","auth_id":"123456","method":"POST","params":"","alg":"none"}"#.utf8))
        #expect(throws: JWSError.malformed("signature segment is not base64url")) { try verify(header + "..") }
        #expect(throws: JWSError.unsupportedAlgorithm("none")) { try verify(header + "..AAAA") }
        #expect(JWSAlgorithm(rawValue: "none") == nil)
    }

    @Test func missingHeader() {
        #expect(throws: JWSError.missing) { try DetachedJWS.parse(nil) }
        #expect(throws: JWSError.missing) { try DetachedJWS.parse("") }
    }

    @Test func truncatedOrGarbledHeaderValue() {
        let value = signed()
        let parts = value.components(separatedBy: "..")
        #expect(throws: JWSError.malformed("expected '<header>..<signature>' (3 dot-separated parts, got 1)")) { try verify(parts[0]) }
        #expect(throws: JWSError.malformed("expected '<header>..<signature>' (3 dot-separated parts, got 2)")) { try verify(parts[0] + "." + parts[1]) }
        #expect(throws: JWSError.malformed("expected '<header>..<signature>' (3 dot-separated parts, got 4)")) { try verify(value + ".x") }
        // A signature cut short still parses but no longer verifies.
        #expect(throws: JWSError.badSignature) { try verify(String(value.dropLast(4))) }
        #expect(throws: JWSError.malformed("header segment is not base64url")) { try verify("!!!.." + parts[1]) }
        #expect(throws: JWSError.malformed("header segment is not base64url")) { try verify(".." + parts[1]) }
        #expect(throws: JWSError.malformed("signature segment is not base64url")) { try verify(parts[0] + "..a+b/") }
        let notJSON = Base64URL.encode(Array("not json".utf8))
        #expect(throws: JWSError.malformed("header is not a JSON object with uri, auth_id, method, params and alg")) {
            try verify(notJSON + ".." + parts[1])
        }
        let missingField = Base64URL.encode(Array(#"{"uri":"/x","auth_id":"1","alg":"HS512"}"#.utf8))
        #expect(throws: JWSError.malformed("header is not a JSON object with uri, auth_id, method, params and alg")) {
            try verify(missingField + ".." + parts[1])
        }
    }

    /// A non-detached token is accepted only when its payload segment is the body itself.
    @Test func payloadSegmentMustEqualBody() throws {
        let parts = signed().components(separatedBy: "..")
        try verify(parts[0] + "." + Base64URL.encode(body) + "." + parts[1])
        #expect(throws: JWSError.payloadMismatch) {
            try verify(parts[0] + "." + Base64URL.encode(Array("{}".utf8)) + "." + parts[1])
        }
        #expect(throws: JWSError.malformed("payload segment is not base64url")) { try verify(parts[0] + ".$$." + parts[1]) }
    }

    @Test func routeMethodAndQueryAreBound() {
        let value = signed()
        #expect(throws: JWSError.uriMismatch(expected: "/v5/card-api/card/block", signed: path)) {
            try verify(value, path: "/v5/card-api/card/block")
        }
        #expect(throws: JWSError.methodMismatch(expected: "PUT", signed: "POST")) { try verify(value, method: "PUT") }
        #expect(throws: JWSError.paramsMismatch(expected: "a=1", signed: "")) { try verify(value, query: "a=1") }
    }

    /// A header that names the partner and route can be altered only by re-signing: the HMAC covers the segment.
    @Test func headerSegmentAlteredAfterSigning() {
        let parts = signed().components(separatedBy: "..")
        let forged = Base64URL.encode(JWSHeader(uri: path, authID: "999999", alg: .hs512).compactJSON())
        #expect(throws: JWSError.badSignature) { try verify(forged + ".." + parts[1]) }
    }
}
