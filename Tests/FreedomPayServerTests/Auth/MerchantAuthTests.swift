import Foundation
import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FreedomPayServer

/// `pg_sig` authentication through the real router, on test-only routes behind `MerchantAuthMiddleware`.
@Suite struct MerchantAuthTests {
    static let paymentPath = "/merchant-auth-test/echo.php"
    static let payoutPath = "/merchant-auth-test/api/payout_echo"

    /// The application router plus two echo routes: one verified with the payment secret, one with the payout secret.
    func withMerchant(_ body: @Sendable @escaping (any TestClientProtocol, Merchant) async throws -> Void) async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let merchant = try await server.createMerchant()
        let services = server.services
        let router = FreedomPayApplication.makeRouter(services: services)
        let payment = router.group("merchant-auth-test").add(middleware: MerchantAuthMiddleware(services: services, secret: .payment))
        payment.post("echo.php", use: Self.echo)
        payment.get("echo.php", use: Self.echo)
        payment.post("fail.php") { _, _ -> Response in throw MerchantAPIFailure(MerchantAPIFailure.systemError, "endpoint refused") }
        router.group("merchant-auth-test/api").add(middleware: MerchantAuthMiddleware(services: services, secret: .payout))
            .post("payout_echo", use: Self.echo)
        try await Application(router: router).test(.router) { client in try await body(client, merchant) }
    }

    /// Answers `ok` with what the middleware verified, signed like every Merchant API answer.
    @Sendable static func echo(_ request: Request, context: AppRequestContext) throws -> Response {
        guard case .merchant(let merchant, let parameters, let script, _)? = context.caller, let secret = context.merchantSecret else {
            throw HTTPError(.unauthorized)
        }
        let answer = [
            PGParameter("pg_status", "ok"),
            PGParameter("pg_amount", PGForm.value("pg_amount", in: parameters) ?? ""),
            PGParameter("pg_script", script),
        ]
        return MerchantResponse.signed(answer, merchant: merchant, script: script, secret: secret)
    }

    static func signed(_ parameters: [PGParameter], merchant: Merchant, script: String = "echo.php", secret: String? = nil) -> [PGParameter] {
        var all = [PGParameter("pg_merchant_id", String(merchant.id.rawValue))] + parameters + [PGParameter("pg_salt", "s4lt")]
        all.append(PGParameter("pg_sig", PGSignature.sign(script: script, parameters: all, secret: secret ?? merchant.paymentSecret)))
        return all
    }

    static func form(_ client: any TestClientProtocol, _ path: String, _ parameters: [PGParameter]) async throws -> TestResponse {
        try await client.raw(path, body: PGForm.encode(parameters), contentType: "application/x-www-form-urlencoded")
    }

    /// Flat fields of an XML answer, and whether its pg_sig verifies with the reference MD5 and `secret`.
    static func answer(_ response: TestResponse, script: String, secret: String) throws -> (fields: [String: String], verifies: Bool) {
        #expect(response.status == .ok)
        #expect(response.headers[.contentType]?.hasPrefix("application/xml") == true)
        let document = try #require(PGXMLParser.parse(response.text))
        #expect(document.root == "response")
        let pairs = document.parameters.compactMap { parameter -> (name: String, value: String)? in
            if case .text(let text) = parameter.value { return (parameter.name, text) }
            return nil
        }
        let fields = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        guard let sig = fields["pg_sig"] else { return (fields, false) }
        return (fields, sig == ReferenceMD5.pgSig(script: script, fields: pairs, secret: secret))
    }

    @Test func unknownMerchantGetsAnUnsigned9998() async throws {
        try await withMerchant { client, merchant in
            var strangers = Self.signed([PGParameter("pg_amount", "10")], merchant: merchant)
            strangers[0] = PGParameter("pg_merchant_id", "1")
            let (fields, _) = try Self.answer(try await Self.form(client, Self.paymentPath, strangers), script: "echo.php", secret: "")
            #expect(fields["pg_status"] == "error")
            #expect(fields["pg_error_code"] == "9998")
            #expect(fields["pg_error_description"] == "Merchant 1 not found")
            #expect(fields["pg_sig"] == nil && fields["pg_salt"] == nil)

            let anonymous = try Self.answer(try await Self.form(client, Self.paymentPath, [PGParameter("pg_amount", "10")]), script: "echo.php", secret: "")
            #expect(anonymous.fields["pg_error_code"] == "9998")
            #expect(anonymous.fields["pg_error_description"] == "pg_merchant_id is missing or not a number")
            #expect(anonymous.fields["pg_sig"] == nil)
        }
    }

    @Test func missingSignatureGetsASigned1100() async throws {
        try await withMerchant { client, merchant in
            let unsigned = Self.signed([PGParameter("pg_amount", "10")], merchant: merchant).filter { $0.name != "pg_sig" }
            let (fields, verifies) = try Self.answer(try await Self.form(client, Self.paymentPath, unsigned), script: "echo.php", secret: merchant.paymentSecret)
            #expect(fields["pg_status"] == "error")
            #expect(fields["pg_error_code"] == "1100")
            #expect(fields["pg_error_description"] == "Incorrect request signature: pg_sig is missing")
            #expect(fields["pg_salt"]?.count == 16)
            #expect(verifies, "the 1100 answer is signed with the payment secret and script echo.php")
        }
    }

    @Test func wrongSecretOrChangedParametersGet1100() async throws {
        try await withMerchant { client, merchant in
            let message = "Incorrect request signature: pg_sig must be md5 of 'echo.php;<values sorted by name>;<payment secret>'"
            let payoutOnPayment = Self.signed([PGParameter("pg_amount", "10")], merchant: merchant, secret: merchant.payoutSecret)
            var added = Self.signed([PGParameter("pg_amount", "10")], merchant: merchant)
            added.append(PGParameter("pg_amount_extra", "1"))
            var changed = Self.signed([PGParameter("pg_amount", "10")], merchant: merchant)
            changed[1] = PGParameter("pg_amount", "1000")
            let otherScript = Self.signed([PGParameter("pg_amount", "10")], merchant: merchant, script: "init_payment.php")
            for parameters in [payoutOnPayment, added, changed, otherScript] {
                let (fields, verifies) = try Self.answer(try await Self.form(client, Self.paymentPath, parameters), script: "echo.php", secret: merchant.paymentSecret)
                #expect(fields["pg_error_code"] == "1100")
                #expect(fields["pg_error_description"] == message)
                #expect(verifies)
            }
            // The payment secret on a payout route: refused, and the answer is signed with the payout secret.
            let paymentOnPayout = Self.signed([PGParameter("pg_amount", "10")], merchant: merchant, script: "payout_echo")
            let payout = try Self.answer(try await Self.form(client, Self.payoutPath, paymentOnPayout), script: "payout_echo", secret: merchant.payoutSecret)
            #expect(payout.fields["pg_error_code"] == "1100")
            #expect(payout.fields["pg_error_description"]?.hasSuffix("<payout secret>'") == true)
            #expect(payout.verifies)
        }
    }

    @Test func everyTransportVerifies() async throws {
        try await withMerchant { client, merchant in
            let parameters = Self.signed([PGParameter("pg_amount", "10"), PGParameter("pg_description", "Order #1 & co")], merchant: merchant)
            var responses: [TestResponse] = []
            responses.append(try await Self.form(client, Self.paymentPath, parameters))
            responses.append(try await client.raw(Self.paymentPath + "?" + PGForm.encode(parameters), method: .get, contentType: "text/plain"))
            var upper = parameters
            upper[upper.count - 1] = PGParameter("pg_sig", (PGForm.value("pg_sig", in: parameters) ?? "").uppercased())
            responses.append(try await Self.form(client, Self.paymentPath, upper))
            let boundary = "----fp-boundary-7MA4YWxkTrZu0gW"
            let multipart = parameters.map { parameter -> String in
                guard case .text(let text) = parameter.value else { return "" }
                return "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(parameter.name)\"\r\n\r\n\(text)\r\n"
            }.joined() + "--\(boundary)--\r\n"
            responses.append(try await client.raw(Self.paymentPath, body: multipart, contentType: "multipart/form-data; boundary=\(boundary)"))
            let xml = PGXML.document(root: "request", parameters)
            responses.append(try await Self.form(client, Self.paymentPath, [PGParameter("pg_xml", xml)]))
            let payout = Self.signed([PGParameter("pg_amount", "10")], merchant: merchant, script: "payout_echo", secret: merchant.payoutSecret)
            let payoutAnswer = try Self.answer(try await Self.form(client, Self.payoutPath, payout), script: "payout_echo", secret: merchant.payoutSecret)
            #expect(payoutAnswer.fields["pg_status"] == "ok" && payoutAnswer.verifies)

            for (index, response) in responses.enumerated() {
                let (fields, verifies) = try Self.answer(response, script: "echo.php", secret: merchant.paymentSecret)
                #expect(fields["pg_status"] == "ok", "transport \(index): \(response.text)")
                #expect(fields["pg_amount"] == "10", "transport \(index)")
                #expect(fields["pg_script"] == "echo.php")
                #expect(verifies, "transport \(index)")
            }
        }
    }

    /// A refusal thrown by the endpoint after authentication is signed like the middleware's own.
    @Test func endpointFailuresAreSigned() async throws {
        try await withMerchant { client, merchant in
            let parameters = Self.signed([PGParameter("pg_amount", "10")], merchant: merchant, script: "fail.php")
            let (fields, verifies) = try Self.answer(
                try await Self.form(client, "/merchant-auth-test/fail.php", parameters), script: "fail.php", secret: merchant.paymentSecret)
            #expect(fields["pg_error_code"] == "9999")
            #expect(fields["pg_error_description"] == "endpoint refused")
            #expect(verifies)
        }
    }

    /// Nested receipt positions in bracket notation verify like the docs' V5 vector.
    @Test func nestedFormParametersVerify() async throws {
        try await withMerchant { client, merchant in
            let positions = PGParameter("pg_receipt_positions", .nested([
                PGParameter("0", .nested([PGParameter("count", "2"), PGParameter("name", "Mouse pad"), PGParameter("price", "500")])),
                PGParameter("1", .nested([PGParameter("count", "1"), PGParameter("name", "Cable"), PGParameter("price", "500")])),
            ]))
            let parameters = Self.signed([PGParameter("pg_amount", "1500"), positions], merchant: merchant)
            let (fields, verifies) = try Self.answer(try await Self.form(client, Self.paymentPath, parameters), script: "echo.php", secret: merchant.paymentSecret)
            #expect(fields["pg_status"] == "ok" && verifies)
        }
    }
}
