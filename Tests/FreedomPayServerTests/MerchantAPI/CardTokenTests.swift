import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import NIOCore
import Testing

/// cardstorage/add|list|remove and card/init + card/pay | card/direct.
@Suite struct CardTokenTests {
    func api(_ client: some TestClientProtocol, _ merchant: Merchant, _ action: String, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.merchantAPI("/v1/merchant/\(merchant.id.rawValue)/\(action)",
                                     [PGParameter("pg_merchant_id", String(merchant.id.rawValue))] + fields.map { PGParameter($0.0, $0.1) },
                                     as: merchant)
    }

    @Test func savesListsPaysAndRemovesACard() async throws {
        let server = try await TestServer.make(configure: patientCallbacks)
        let merchant = try await server.createMerchant()
        let other = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        try await receiver.run { shop in
            try await server.withRouter { client in
                let added = try await api(client, merchant, "cardstorage/add", [
                    ("pg_user_id", "user_42"), ("pg_post_link", shop + "/notify"), ("pg_back_link", "https://shop.example/cards"),
                ]).xml
                let url = try #require(added.value("pg_redirect_url"))
                let components = try #require(URLComponents(string: url))
                let path = components.path + "?" + (components.percentEncodedQuery ?? "")
                let saved = try await client.executeRequest(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "card_number=\(TestCard.unionPay)&expiry=12%2F39&cvv=123&holder=Ivan+Ivanov"))
                #expect(saved.location == "https://shop.example/cards")
                #expect(try await eventually { receiver.received("notify").count == 1 })
                let notify = try #require(receiver.received("notify").first)
                #expect(notify.signatureValid && notify.value("pg_status") == "success" && notify.value("pg_user_id") == "user_42")
                let token = try #require(notify.value("pg_card_token"))

                let list = try await api(client, merchant, "cardstorage/list", [("pg_user_id", "user_42"), ("pg_extend_data", "1")]).xml
                let cards = list.filter { $0.name == "card" }
                #expect(cards.count == 1)
                if case .nested(let fields)? = cards.first?.value {
                    #expect(fields.value("pg_card_token") == token && fields.value("pg_card_hash") == "6224-46XX-XXXX-XXX1-278")
                    #expect(fields.value("expiry_year") == "39" && fields.value("brand_alias") == "UP")
                }
                #expect(try await api(client, merchant, "cardstorage/list", [("pg_user_id", "user_43")]).xml.filter { $0.name == "card" }.isEmpty)
                #expect(try await api(client, other, "cardstorage/list", [("pg_user_id", "user_42")]).xml.filter { $0.name == "card" }.isEmpty)

                let direct = try await api(client, merchant, "card/init", [
                    ("pg_order_id", "T-1"), ("pg_amount", "990"), ("pg_description", "Subscription"), ("pg_user_id", "user_42"),
                    ("pg_card_token", token), ("pg_result_url", shop + "/result"),
                ]).xml
                let directID = try #require(direct.value("pg_payment_id"))
                let charged = try await api(client, merchant, "card/direct", [("pg_payment_id", directID)]).xml
                #expect(charged.value("pg_status") == "ok" && charged.value("pg_payment_status") == "success")
                #expect(try await api(client, merchant, "card/direct", [("pg_payment_id", directID)]).xml.value("pg_error_code") == "11013")
                let status = try await client.merchantAPI("/get_status3.php", [PGParameter("pg_payment_id", directID)], as: merchant).xml
                #expect(status.value("pg_card_token") == token && status.value("pg_captured") == "1")
                #expect(try await eventually { receiver.received("result").first?.value("pg_card_token") == token })

                let withCVC = try await api(client, merchant, "card/init", [
                    ("pg_order_id", "T-2"), ("pg_amount", "10"), ("pg_description", "One-off"), ("pg_user_id", "user_42"),
                    ("pg_card_token", token), ("pg_success_url", "https://shop.example/ok"),
                ]).xml
                let cvcID = try #require(withCVC.value("pg_payment_id"))
                let page = try await api(client, merchant, "card/pay", [("pg_payment_id", cvcID)])
                #expect(page.text.contains("name=\"cvv\""))
                let action = try #require(page.text.range(of: "action=\"/pay/").map { page.text[$0.upperBound...].prefix(32) })
                let paid = try await client.executeRequest(
                    uri: "/pay/\(action)/cvc", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "cvv=321"))
                #expect(paid.location?.hasPrefix("https://shop.example/ok?") == true)

                #expect(try await api(client, other, "card/direct", [("pg_payment_id", cvcID)]).xml.value("pg_error_code") == "11068")
                #expect(try await api(client, other, "cardstorage/remove", [("pg_user_id", "user_42"), ("pg_card_token", token)]).xml.value("pg_error_code") == "1999")
                let removed = try await api(client, merchant, "cardstorage/remove", [("pg_user_id", "user_42"), ("pg_card_token", token)]).xml
                #expect(removed.value("pg_status") == "success" && removed.value("deleted_at") != nil)
                #expect(try await api(client, merchant, "cardstorage/list", [("pg_user_id", "user_42")]).xml.filter { $0.name == "card" }.isEmpty)
                #expect(try await api(client, merchant, "card/init", [
                    ("pg_order_id", "T-3"), ("pg_amount", "10"), ("pg_description", "x"), ("pg_user_id", "user_42"), ("pg_card_token", token),
                ]).xml.value("pg_error_code") == "1999")
            }
        }
        await server.cleanUp()
    }

    @Test func pathMerchantMustMatchTheSigner() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let other = try await server.createMerchant()
        let answer = try await server.withRouter { client in
            try await client.merchantAPI("/v1/merchant/\(other.id.rawValue)/cardstorage/list",
                                         [PGParameter("pg_merchant_id", String(merchant.id.rawValue)), PGParameter("pg_user_id", "u1")], as: merchant)
        }
        #expect(answer.xml.value("pg_error_code") == "9997")
        await server.cleanUp()
    }

    /// A 3-D Secure enrolled card is saved only after the right code; a wrong code saves nothing.
    @Test(arguments: [(TestCards.threeDSecureCode, true), ("000000", false)])
    func threeDSecureCardNeedsTheCodeToBeSaved(code: String, saved: Bool) async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let added = try await api(client, merchant, "cardstorage/add", [
                ("pg_user_id", "u3"), ("pg_post_link", "http://127.0.0.1:9/notify"), ("pg_back_link", "https://shop.example/cards"),
            ]).xml
            let redirect = try #require(added.value("pg_redirect_url"))
            let components = try #require(URLComponents(string: redirect))
            let path = components.path + "?" + (components.percentEncodedQuery ?? "")
            let form = [("card_number", TestCard.threeDS), ("expiry", "12%2F39"), ("cvv", "123"), ("holder", "Ivan")]
            let entered = try await client.executeRequest(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form.map { "\($0.0)=\($0.1)" }.joined(separator: "&")))
            #expect(entered.location == path)
            let challenge = try await client.executeRequest(uri: path, method: .get, headers: [:], body: nil)
            #expect(challenge.text.contains("4916-30XX-XXXX-4310") && challenge.text.contains("name=\"code\""))
            #expect(try await api(client, merchant, "cardstorage/list", [("pg_user_id", "u3")]).xml.filter { $0.name == "card" }.isEmpty)
            let confirmed = try await client.executeRequest(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "code=\(code)"))
            #expect(confirmed.location == "https://shop.example/cards")
            let cards = try await api(client, merchant, "cardstorage/list", [("pg_user_id", "u3")]).xml.filter { $0.name == "card" }
            #expect(cards.count == (saved ? 1 : 0))
        }
        await server.cleanUp()
    }
}
