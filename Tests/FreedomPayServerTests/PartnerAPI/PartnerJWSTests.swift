import Foundation
import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import FreedomPayServer

/// The Partner API's signature examples from the docs and the spec (partner-api.md §1.3), as they are.
@Suite struct PartnerJWSTests {
    static let j1Header = "eyJ1cmkiOiIvdjUvcGFydG5lci93YWxsZXQvYWRkIiwiYXV0aF9pZCI6IjEyMzQ1NiIsIm1ldGhvZCI6IlBPU1QiLCJwYXJhbXMiOiIiLCJhbGciOiJIUzI1NiJ9"
    static let j1Body = #"{"request_id":"828cf71d-a447-4a67-a149-c1df8bc197ca","country":"KAZ","currency":"KZT"}"#
    static let j1Signature = j1Header + "..5xVbhml5y1Uw1TYQ_djwwefFz8y_CnX-ajzNvOBCcmE"
    /// The Rates page's full token: header keys in another order, payload = a pretty-printed body with trailing spaces.
    static let ratesPageToken = "eyJhbGciOiJIUzI1NiIsImF1dGhfaWQiOiIxMzk4OSIsInVyaSI6Ii92NS9wYXJ0bmVyL3JhdGVzL2FkZCIsIm1ldGhvZCI6IlBPU1QiLCJwYXJhbXMiOiIifQ.ewogICJyYXRlcyI6WwogICAgICAgIHsgCiAgICAgICAgICAgICJjdXJyZW5jeV9mcm9tIjoiVVNEIiwKICAgICAgICAgICAgImN1cnJlbmN5X3RvIjogIktaVCIsCiAgICAgICAgICAgICJyYXRlIjogNDQxLjUwNwogICAgICAgIH0KICAgIF0gIAp9Cg.mxer4w-qsd3oRDN42bIVeOFvhuhIGNH_vqHuw12HbkM"
    static let j4Body = #"{"request_id":"266ea41d-adf5-480b-af50-15b940c2b846","identifier":"77011234567","description":"Suspicious activity"}"#
    static let j4bBody = """
        {
          "request_id": "266ea41d-adf5-480b-af50-15b940c2b846",
          "identifier": "77011234567",
          "description": "Suspicious activity"
        }
        """

    @Test func j1VerifiesWithTheJwtIoKeyButNotWithSecretKey() throws {
        let parsed = try DetachedJWS.parse(Self.j1Signature)
        #expect(parsed.header.authID == "123456")
        try parsed.verify(body: Array(Self.j1Body.utf8), secret: "your-256-bit-secret", algorithm: .hs256,
                          method: "POST", path: "/v5/partner/wallet/add", query: "")
        #expect(throws: JWSError.badSignature) {
            try parsed.verify(body: Array(Self.j1Body.utf8), secret: "secret_key", algorithm: .hs256,
                              method: "POST", path: "/v5/partner/wallet/add", query: "")
        }
        #expect(Base64URL.encode(Array(Self.j1Body.utf8)) == "eyJyZXF1ZXN0X2lkIjoiODI4Y2Y3MWQtYTQ0Ny00YTY3LWExNDktYzFkZjhiYzE5N2NhIiwiY291bnRyeSI6IktBWiIsImN1cnJlbmN5IjoiS1pUIn0")
    }

    @Test func ratesPageTokenDoesNotVerifyWithAnyCandidateKey() throws {
        let parsed = try DetachedJWS.parse(Self.ratesPageToken)
        let body = try #require(parsed.payload)
        #expect(String(decoding: body, as: UTF8.self).contains("441.507"))
        #expect(String(decoding: body, as: UTF8.self).contains("]  \n"))  // the trailing spaces are signed as sent
        for key in ["secret_key", "your-256-bit-secret", "secret", "13989"] {
            #expect(throws: JWSError.badSignature) {
                try parsed.verify(body: body, secret: key, algorithm: .hs256, method: "POST", path: "/v5/partner/rates/add", query: "")
            }
        }
    }

    @Test func composedVectorsJ2ToJ4bMatch() {
        func sign(_ path: String, _ body: String) -> String {
            DetachedJWS.sign(body: Array(body.utf8), header: JWSHeader(uri: path, authID: "13989", alg: .hs256), secret: "partner-secret")
        }
        #expect(sign("/v5/partner/rates/add", #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":441.507}]}"#)
            .hasSuffix("..wsKgEqs-AbX1vLANqk2fk6EEmF-FxgG2sWqMcK4bvoc"))
        #expect(sign("/v5/partner/client/user/add", #"{"request_id":"0194c3b2-7d1e-7a3c-9f00-4b1d2c3e4f50","client_id":1042,"user_info":{"first_name":"Aigerim","last_name":"Sadykova","phone":"77011234567","email":"aigerim@example.kz"}}"#)
            .hasSuffix(".._CYM3HgsYmswR6vCYSrJMJhdMOIYct46Vy5670kXMQ0"))
        #expect(sign("/v5/partner/wallet/block", Self.j4Body).hasSuffix("..wSAMbW9YKbqtHI1pkFDhKnvZjogZZ0p17AjwPfmdmu4"))
        #expect(sign("/v5/partner/wallet/block", Self.j4bBody).hasSuffix("..GqMOdL01guZdRM90ppXUHibLenau39MKPlzoU2xkNS8"))
    }

    @Test func docsJ1HeaderOpensAWalletOverHTTP() async throws {
        try await withPartnerServer { server in
            _ = try await server.createPartner(authID: "123456", secret: "your-256-bit-secret")
            try await server.withRouter { client in
                var headers: HTTPFields = [.contentType: "application/json"]
                headers[HTTPField.Name("X-JWS-Signature")!] = Self.j1Signature
                let response = try await client.executeRequest(
                    uri: "/v5/partner/wallet/add", method: .post, headers: headers, body: ByteBuffer(string: Self.j1Body))
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "ok")
                #expect(response.json["request_status"] as? String == "0")
                // The same bytes with a space added no longer match the signature.
                let tampered = try await client.executeRequest(
                    uri: "/v5/partner/wallet/add", method: .post, headers: headers, body: ByteBuffer(string: Self.j1Body + " "))
                #expect(tampered.status == .unauthorized)
                #expect(tampered.errorCode == "401")
                #expect(tampered.headers[HTTPField.Name("X-Request-Status")!] == "error")
                #expect(response.headers[HTTPField.Name("X-Request-Status")!] == "success")
                #expect(response.headers[HTTPField.Name("X-Datetime")!]?.hasSuffix("Z") == true)
            }
        }
    }

    @Test func prettyPrintedAndCompactBodiesVerifyExactlyAsSent() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner(authID: "13989", secret: "partner-secret")
            try await server.withRouter { client in
                let opened = try await client.partnerAPI(
                    "/v5/partner/wallet/add", #"{"request_id":"w-1","country":"KAZ","currency":"KZT","identifier":"77011234567"}"#, as: partner)
                #expect(opened.json["identifier"] as? String == "77011234567")
                var headers: HTTPFields = [.contentType: "application/json"]
                headers[HTTPField.Name("X-JWS-Signature")!] = DetachedJWS.sign(
                    body: Array(Self.j4bBody.utf8), header: JWSHeader(uri: "/v5/partner/wallet/block", authID: "13989", alg: .hs256),
                    secret: "partner-secret")
                #expect(headers[HTTPField.Name("X-JWS-Signature")!]!.hasSuffix("GqMOdL01guZdRM90ppXUHibLenau39MKPlzoU2xkNS8"))
                let blocked = try await client.executeRequest(
                    uri: "/v5/partner/wallet/block", method: .post, headers: headers, body: ByteBuffer(string: Self.j4bBody))
                #expect(blocked.status == .ok)
                #expect(blocked.json["request_status"] as? String == "0")
                // The compact J4 body carries the same request_id: signature fine, but the id is spent (1002).
                let compact = try await client.partnerAPI("/v5/partner/wallet/block", Self.j4Body, as: partner)
                #expect(compact.status == .ok)
                #expect(compact.errorCode == "1002")
                let rates = try await client.partnerAPI(
                    "/v5/partner/rates/add", #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":441.507}]}"#, as: partner)
                #expect(rates.json["status"] as? String == "ok")
            }
        }
    }
}
