import Foundation
import Testing

@testable import FreedomPayWire

/// card-api.md §1.3 and partner-api.md §1.3: the docs' detached JWS vectors, byte for byte.
@Suite struct DetachedJWSVectorTests {
    static let cardHeaderJSON = #"{"uri":"/v5/card-api/request/status","auth_id":"123456","method":"POST","params":"","alg":"HS512"}"#
    static let cardBody = #"{"request_id":"828cf71d-a447-4a67-a149-c1df8bc197ca"}"#
    static let cardH = "eyJ1cmkiOiIvdjUvY2FyZC1hcGkvcmVxdWVzdC9zdGF0dXMiLCJhdXRoX2lkIjoiMTIzNDU2IiwibWV0aG9kIjoiUE9TVCIsInBhcmFtcyI6IiIsImFsZyI6IkhTNTEyIn0"
    static let cardP = "eyJyZXF1ZXN0X2lkIjoiODI4Y2Y3MWQtYTQ0Ny00YTY3LWExNDktYzFkZjhiYzE5N2NhIn0"
    static let cardS = "f1sQoeIpX_ZjOaykQzSeylvvKaVrEQV4gNM2ACFbEMkFDUV9Zk5WO1yQGEWez-vnQMVHodLBDVEyh5Xm2-3MjQ"

    @Test func cardAPIHS512VectorSegments() {
        let header = JWSHeader(uri: "/v5/card-api/request/status", authID: "123456", alg: .hs512)
        #expect(String(decoding: header.compactJSON(), as: UTF8.self) == Self.cardHeaderJSON)
        #expect(Base64URL.encode(Array(Self.cardHeaderJSON.utf8)) == Self.cardH)
        #expect(Base64URL.encode(Array(Self.cardBody.utf8)) == Self.cardP)
        let value = DetachedJWS.sign(body: Array(Self.cardBody.utf8), header: header, secret: "secret")
        #expect(value == Self.cardH + ".." + Self.cardS)
    }

    @Test func cardAPIHS512VectorVerifies() throws {
        let parsed = try DetachedJWS.parse(Self.cardH + ".." + Self.cardS)
        #expect(parsed.header.authID == "123456")
        #expect(parsed.payload == nil)
        try parsed.verify(
            body: Array(Self.cardBody.utf8), secret: "secret", algorithm: .hs512, method: "POST",
            path: "/v5/card-api/request/status", query: "")
    }

    struct PartnerVector: Sendable, CustomTestStringConvertible {
        let name: String
        let uri: String
        let authID: String
        let body: String
        let secret: String
        let signature: String
        var testDescription: String { name }
    }

    static let j4Body = #"{"request_id":"266ea41d-adf5-480b-af50-15b940c2b846","identifier":"77011234567","description":"Suspicious activity"}"#
    static let j4bBody = "{\n  \"request_id\": \"266ea41d-adf5-480b-af50-15b940c2b846\",\n  \"identifier\": \"77011234567\",\n  \"description\": \"Suspicious activity\"\n}"

    static let partnerVectors: [PartnerVector] = [
        PartnerVector(
            name: "J1", uri: "/v5/partner/wallet/add", authID: "123456",
            body: #"{"request_id":"828cf71d-a447-4a67-a149-c1df8bc197ca","country":"KAZ","currency":"KZT"}"#,
            secret: "your-256-bit-secret", signature: "5xVbhml5y1Uw1TYQ_djwwefFz8y_CnX-ajzNvOBCcmE"),
        PartnerVector(
            name: "J2", uri: "/v5/partner/rates/add", authID: "13989",
            body: #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":441.507}]}"#,
            secret: "partner-secret", signature: "wsKgEqs-AbX1vLANqk2fk6EEmF-FxgG2sWqMcK4bvoc"),
        PartnerVector(
            name: "J3", uri: "/v5/partner/client/user/add", authID: "13989",
            body: #"{"request_id":"0194c3b2-7d1e-7a3c-9f00-4b1d2c3e4f50","client_id":1042,"user_info":{"first_name":"Aigerim","last_name":"Sadykova","phone":"77011234567","email":"aigerim@example.kz"}}"#,
            secret: "partner-secret", signature: "_CYM3HgsYmswR6vCYSrJMJhdMOIYct46Vy5670kXMQ0"),
        PartnerVector(
            name: "J4", uri: "/v5/partner/wallet/block", authID: "13989", body: j4Body,
            secret: "partner-secret", signature: "wSAMbW9YKbqtHI1pkFDhKnvZjogZZ0p17AjwPfmdmu4"),
        PartnerVector(
            name: "J4b", uri: "/v5/partner/wallet/block", authID: "13989", body: j4bBody,
            secret: "partner-secret", signature: "GqMOdL01guZdRM90ppXUHibLenau39MKPlzoU2xkNS8"),
    ]

    @Test(arguments: partnerVectors)
    func partnerAPIHS256Vectors(vector: PartnerVector) throws {
        let header = JWSHeader(uri: vector.uri, authID: vector.authID, alg: .hs256)
        let value = DetachedJWS.sign(body: Array(vector.body.utf8), header: header, secret: vector.secret)
        #expect(value.hasSuffix(".." + vector.signature))
        try DetachedJWS.parse(value).verify(
            body: Array(vector.body.utf8), secret: vector.secret, algorithm: .hs256, method: "POST", path: vector.uri, query: "")
    }

    @Test func j1FullSegments() {
        let header = JWSHeader(uri: "/v5/partner/wallet/add", authID: "123456", alg: .hs256)
        #expect(Base64URL.encode(header.compactJSON())
            == "eyJ1cmkiOiIvdjUvcGFydG5lci93YWxsZXQvYWRkIiwiYXV0aF9pZCI6IjEyMzQ1NiIsIm1ldGhvZCI6IlBPU1QiLCJwYXJhbXMiOiIiLCJhbGciOiJIUzI1NiJ9")
        #expect(Base64URL.encode(Array(Self.partnerVectors[0].body.utf8))
            == "eyJyZXF1ZXN0X2lkIjoiODI4Y2Y3MWQtYTQ0Ny00YTY3LWExNDktYzFkZjhiYzE5N2NhIiwiY291bnRyeSI6IktBWiIsImN1cnJlbmN5IjoiS1pUIn0")
    }

    /// J4 and J4b are the same JSON object: the raw bytes are signed, so a compact signature must not verify
    /// the pretty-printed body.
    @Test func prettyPrintedBodyIsADifferentPayload() throws {
        let header = JWSHeader(uri: "/v5/partner/wallet/block", authID: "13989", alg: .hs256)
        let compact = DetachedJWS.sign(body: Array(Self.j4Body.utf8), header: header, secret: "partner-secret")
        #expect(throws: JWSError.badSignature) {
            try DetachedJWS.parse(compact).verify(
                body: Array(Self.j4bBody.utf8), secret: "partner-secret", algorithm: .hs256, method: "POST",
                path: "/v5/partner/wallet/block", query: "")
        }
    }

    /// The Rates page puts header keys in another order: the server verifies the header segment as received.
    @Test func headerKeyOrderIsWhateverTheClientSent() throws {
        let json = #"{"alg":"HS256","auth_id":"13989","uri":"/v5/partner/rates/add","method":"POST","params":""}"#
        let body = Array(#"{"rates":[]}"#.utf8)
        let value = DetachedJWS.sign(body: body, headerSegment: Base64URL.encode(Array(json.utf8)), algorithm: .hs256, secret: "k")
        try DetachedJWS.parse(value).verify(body: body, secret: "k", algorithm: .hs256, method: "POST", path: "/v5/partner/rates/add", query: "")
    }
}
