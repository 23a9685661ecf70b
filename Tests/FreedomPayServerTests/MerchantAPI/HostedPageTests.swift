import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

/// The hosted payment page with plain form posts (no JavaScript), driven by the documented test cards.
@Suite struct HostedPageTests {
    static let success = "https://shop.example/pay/success"
    static let failure = "https://shop.example/pay/failure"
    let urls = [("pg_success_url", success), ("pg_failure_url", failure)]

    /// The redirect-back query parameters, with their signature checked by the independent MD5.
    func redirectBack(_ response: TestResponse, to url: String, secret: String) throws -> [(String, String)] {
        #expect(response.status == .seeOther)
        let location = try #require(response.location)
        #expect(location.hasPrefix(url + "?"))
        let fields = MerchantReceiver.decodeForm(String(location.dropFirst(url.count + 1)))
        let script = String(url.split(separator: "/").last!)
        #expect(IndependentMD5.sign(script: script, parameters: fields, secret: secret) == fields.first { $0.0 == "pg_sig" }?.1)
        return fields
    }

    @Test func pageShowsMerchantDescriptionAndAmountWithoutExternalAssets() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant(name: "Coffee <Shop>")
        let page = try await server.withRouter { client in
            let created = try await client.initPayment(merchant, [("pg_amount", "1234.5"), ("pg_description", "Two lattes")])
            return try await client.executeRequest(uri: TestClient.path(of: created.xml.value("pg_redirect_url")!), method: .get, headers: [:], body: nil)
        }
        #expect(page.status == .ok)
        #expect(page.text.contains("Coffee &lt;Shop&gt;"))
        #expect(page.text.contains("Two lattes"))
        #expect(page.text.contains("1234.5 KZT"))
        #expect(page.text.contains("name=\"card_number\"") && page.text.contains("name=\"cvv\""))
        #expect(!page.text.contains("src=") && !page.text.contains("<link"))
        await server.cleanUp()
    }

    @Test func invalidCardDataIsExplainedAndNothingIsCharged() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let created = try await client.initPayment(merchant, urls)
            let url = created.xml.value("pg_redirect_url")!
            let luhn = try await client.submitCard(redirectURL: url, number: "4716047261941982")
            #expect(luhn.status == .unprocessableContent)
            #expect(luhn.text.contains("check digit"))
            let expired = try await client.submitCard(redirectURL: url, number: TestCard.frictionless, expiry: "01/20", cvv: "12", holder: "")
            #expect(expired.text.contains("The card has expired"))
            #expect(expired.text.contains("3 digits"))
            #expect(expired.text.contains("cardholder name"))
            #expect(!expired.text.contains(TestCard.frictionless))
            let payment = try await server.payment(created.xml.value("pg_payment_id")!, of: merchant)
            #expect(payment?.status == .created)
        }
        await server.cleanUp()
    }

    @Test func frictionlessCardSucceedsAndRedirectsToSignedSuccessURL() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let (id, page) = try await server.withRouter { client in try await client.paidPayment(merchant, urls) }
        let fields = try redirectBack(page, to: Self.success, secret: merchant.paymentSecret)
        #expect(fields.first { $0.0 == "pg_payment_id" }?.1 == id)
        let payment = try #require(try await server.payment(id, of: merchant))
        #expect(payment.status == .captured)
        #expect(payment.card?.mask == "4716-04XX-XXXX-1981")
        await server.cleanUp()
    }

    @Test(arguments: [(TestCard.declined, "10001"), (TestCard.insufficientFunds, "10009"), ("4111111111111111", "10032")])
    func declinedCardsRedirectToFailureURLWithTheirCode(card: String, code: String) async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let (id, page) = try await server.withRouter { client in try await client.paidPayment(merchant, card: card, urls) }
        let fields = try redirectBack(page, to: Self.failure, secret: merchant.paymentSecret)
        #expect(fields.first { $0.0 == "pg_error_code" }?.1 == code)
        let payment = try #require(try await server.payment(id, of: merchant))
        #expect(payment.status == .failed && payment.failureCode == Int(code))
        await server.cleanUp()
    }

    @Test func threeDSecureCardAsksForTheCodeAndAcceptsTheRightOne() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let created = try await client.initPayment(merchant, urls)
            let url = created.xml.value("pg_redirect_url")!
            let submitted = try await client.submitCard(redirectURL: url, number: TestCard.threeDS)
            #expect(submitted.location?.hasSuffix("/3ds") == true)
            let challenge = try await client.executeRequest(uri: TestClient.path(of: url) + "/3ds", method: .get, headers: [:], body: nil)
            #expect(challenge.text.contains("4916-30XX-XXXX-4310"))
            let wrong = try await client.submitThreeDS(redirectURL: url, code: "000000")
            #expect(wrong.text.contains("2 attempts left"))
            let right = try await client.submitThreeDS(redirectURL: url, code: TestCards.threeDSecureCode)
            _ = try redirectBack(right, to: Self.success, secret: merchant.paymentSecret)
        }
        await server.cleanUp()
    }

    @Test func threeWrongThreeDSecureCodesDeclineWith10004() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let created = try await client.initPayment(merchant, urls)
            let url = created.xml.value("pg_redirect_url")!
            _ = try await client.submitCard(redirectURL: url, number: TestCard.threeDSNoClearing)
            _ = try await client.submitThreeDS(redirectURL: url, code: "1")
            _ = try await client.submitThreeDS(redirectURL: url, code: "2")
            let last = try await client.submitThreeDS(redirectURL: url, code: "3")
            let fields = try redirectBack(last, to: Self.failure, secret: merchant.paymentSecret)
            #expect(fields.first { $0.0 == "pg_error_code" }?.1 == "10004")
        }
        await server.cleanUp()
    }

    @Test func postRedirectMethodRendersASelfSubmittingFormThatWorksWithoutJavaScript() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let (id, page) = try await server.withRouter { client in
            try await client.paidPayment(merchant, urls + [("pg_success_url_method", "POST"), ("cart", "7")])
        }
        #expect(page.status == .ok)
        #expect(page.text.contains("action=\"\(Self.success)\""))
        #expect(page.text.contains("name=\"pg_payment_id\" value=\"\(id)\""))
        #expect(page.text.contains("name=\"cart\" value=\"7\""))
        #expect(page.text.contains("<button type=\"submit\">"))
        await server.cleanUp()
    }

    @Test func expiredPageShowsTheFailure() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let created = try await client.initPayment(merchant, urls + [("pg_lifetime", "300")])
            server.clock.advance(by: 301)
            let page = try await client.submitCard(redirectURL: created.xml.value("pg_redirect_url")!, number: TestCard.frictionless)
            let fields = try redirectBack(page, to: Self.failure, secret: merchant.paymentSecret)
            #expect(fields.first { $0.0 == "pg_error_code" }?.1 == "10018")
        }
        await server.cleanUp()
    }

    @Test func unknownPageTokenIsNotFound() async throws {
        let server = try await TestServer.make()
        let page = try await server.withRouter { client in
            try await client.executeRequest(uri: "/pay/doesnotexist", method: .get, headers: [:], body: nil)
        }
        #expect(page.status == .notFound)
        await server.cleanUp()
    }
}

/// Static helpers usable outside a client instance.
enum TestClient {
    static func path(of url: String) -> String {
        guard let components = URLComponents(string: url), components.host != nil else { return url }
        return components.path
    }
}
