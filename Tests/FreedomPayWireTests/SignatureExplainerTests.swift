import FreedomPayWire
import Testing

@Suite struct SignatureExplainerTests {
    static let docsHeader = "eyJ1cmkiOiIvdjUvY2FyZC1hcGkvcmVxdWVzdC9zdGF0dXMiLCJhdXRoX2lkIjoiMTIzNDU2IiwibWV0aG9kIjoiUE9TVCIsInBhcmFtcyI6IiIsImFsZyI6IkhTNTEyIn0..f1sQoeIpX_ZjOaykQzSeylvvKaVrEQV4gNM2ACFbEMkFDUV9Zk5WO1yQGEWez-vnQMVHodLBDVEyh5Xm2-3MjQ"
    static let docsBody = Array(#"{"request_id":"828cf71d-a447-4a67-a149-c1df8bc197ca"}"#.utf8)

    @Test func theDocsCardAPIExampleIsValidWithKeySecret() {
        let report = SignatureExplainer.jws(
            body: Self.docsBody, secret: "secret", algorithm: .hs512, path: "/v5/card-api/request/status", authID: nil, received: Self.docsHeader)
        #expect(report.valid == true)
        #expect(report.text.contains("eyJyZXF1ZXN0X2lkIjoiODI4Y2Y3MWQtYTQ0Ny00YTY3LWExNDktYzFkZjhiYzE5N2NhIn0"))
        #expect(report.text.contains("\"alg\":\"HS512\""))
    }

    @Test func aTamperedBodyOrAnotherRouteSaysWhichRuleFails() {
        var body = Self.docsBody
        body[body.count - 3] = UInt8(ascii: "b")
        let tampered = SignatureExplainer.jws(
            body: body, secret: "secret", algorithm: .hs512, path: "/v5/card-api/request/status", authID: nil, received: Self.docsHeader)
        #expect(tampered.valid == false)
        #expect(tampered.failure == JWSError.badSignature.message)
        let moved = SignatureExplainer.jws(
            body: Self.docsBody, secret: "secret", algorithm: .hs512, path: "/v5/card-api/card/info", authID: nil, received: Self.docsHeader)
        #expect(moved.failure?.contains("does not match the request path") == true)
        let wrongAPI = SignatureExplainer.jws(
            body: Self.docsBody, secret: "secret", algorithm: .hs256, path: "/v5/card-api/request/status", authID: nil, received: Self.docsHeader)
        #expect(wrongAPI.failure?.contains("alg 'HS512'") == true)
    }

    @Test func theSecretIsNeverPrinted() {
        let secret = "Sup3rSecret-never-shown"
        let parameters = [PGParameter("pg_amount", "1500"), PGParameter("pg_salt", "k3Jd9sLq")]
        let texts = [
            SignatureExplainer.pgSig(script: "init_payment.php", parameters: parameters, secret: secret, received: "00").text,
            SignatureExplainer.legacy(body: Self.docsBody, secret: secret, received: "00").text,
            SignatureExplainer.jws(body: Self.docsBody, secret: secret, algorithm: .hs256, path: "/v5/partner/rates/add", authID: "1", received: nil).text,
        ]
        for text in texts { #expect(!text.contains(secret)) }
    }

    @Test func pgSigShowsTheSignedStringWithTheSecretRedacted() {
        let parameters = [
            PGParameter("pg_order_id", "23"), PGParameter("pg_merchant_id", "123456"), PGParameter("pg_amount", "25"),
            PGParameter("pg_salt", "some_random_string"), PGParameter("pg_description", "Order description"),
        ]
        let report = SignatureExplainer.pgSig(
            script: "init_payment.php", parameters: parameters, secret: "test_secret_key", received: "1D602CE1AF2D04738E5840FF8562963F")
        #expect(report.valid == true)
        #expect(report.text.contains("init_payment.php;25;Order description;123456;23;some_random_string;<secret>"))
    }
}
