import Foundation
import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct ProductsAPITests {
    static let newShape = """
        {"request_id":"0194c3b2-0000-7000-8000-000000000001",
         "company":{"company_id":"C-77","name":"TOO Example","bin":"123456789012",
           "address":{"country":"KAZ","postal_code":"050000","address_line1":"Almaty","address_line2":"Zheltoksan","address_line3":"115"},
           "iban":"KZ12345B789012345KZT","description":"New partner client","legal_type":"TOO"},
         "product":{"product_id":10001,"mcc":"5411","currency":"KZT","name":"Example Shop","descriptor":"EXAMPLE SHOP",
           "address":{"country":"KAZ","postal_code":"050000","address_line1":"Almaty","address_line2":"Abay","address_line3":"10"},
           "user":{"name":"Aigerim Sadykova","email":"cashier@example.kz","phone":"77011234567"},
           "package_name":"kz.freedompay.softpos"}}
        """
    static let flatShape = """
        {"request_id":"flat-1","name":"ТОО Пример","bin":123456789012,
         "ceo_info":{"first_name":"Ivan","last_name":"Ivanov","phone":77017777777,"email":"ceo@example.kz"},
         "address_info":{"country":"KZ","postal_code":"050000","address_line1":"Almaty","address_line2":"Zheltoksan","address_line3":"115"},
         "iban":"KZ12345B789012345KZT","description":"Новый партнер"}
        """

    static func user(_ requestID: String, client: Int) -> String {
        #"{"request_id":"\#(requestID)","client_id":\#(client),"user_info":{"first_name":"Aigerim","last_name":"Sadykova","phone":"77011234567","email":"aigerim@example.kz"}}"#
    }

    @Test func onboardAClientWithProductAndFollowItsRequestStatusToTheEnd() async throws {
        try await withPartnerServer(configure: { $0.asyncCompletionDelaySeconds = 100_000 }) { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                let added = try await client.partnerAPI("/v5/partner/client/add", Self.newShape, as: partner)
                #expect(added.json["status"] as? String == "ok")
                #expect(added.json["request_status"] as? String == "process")
                let clientID = try #require(added.json["client_id"] as? Int)
                let product = try #require(added.json["product"] as? [String: Any])
                #expect(product["product_id"] as? Int == 10001 && product["status"] as? Int == 1)
                let uuid = try #require(product["product_uuid"] as? String)

                let status = #"{"request_id":"0194c3b2-0000-7000-8000-000000000001"}"#
                let pending = try await client.partnerAPI("/v5/partner/request/status", status, as: partner)
                #expect(pending.json["request_status"] as? String == "process")
                server.clock.advance(by: 100_001)
                let done = try await client.partnerAPI("/v5/partner/client/request/status", status, as: partner)
                #expect(done.json["request_status"] as? String == "success")
                #expect(done.json["client_id"] as? Int == clientID)
                #expect((done.json["product"] as? [String: Any])?["product_uuid"] as? String == uuid)

                let user = try await client.partnerAPI("/v5/partner/client/user/add", Self.user("u-1", client: clientID), as: partner)
                #expect(user.json["status"] as? String == "ok")
                #expect(user.json["error_code"] as? Int == 0 && user.json["error_description"] as? String == "")
                let userID = try #require(user.json["user_id"] as? Int)

                let ecom = try await client.partnerAPI("/v5/partner/client/product/add", #"{"request_id":"p-1","client_id":\#(clientID),"product":{"product_id":20000,"name":"Example Web","mcc":"5411","descriptor":"EXAMPLE WEB","merchant_url":"https://example.kz"}}"#, as: partner)
                let terminal = try #require((ecom.json["product"] as? [String: Any])?["terminal_id"] as? Int)
                #expect(ecom.json["client_id"] as? Int == clientID && ecom.json["error_code"] as? Int == 0)

                let notYet = try await client.partnerAPI("/v5/partner/client/user/send_auth", #"{"request_id":"s-0","client_id":\#(clientID),"user_id":\#(userID)}"#, as: partner)
                #expect(notYet.json["error_code"] as? Int == 1001)
                let granted = try await client.partnerAPI("/v5/partner/client/user/grant", #"{"request_id":"g-1","client_id":\#(clientID),"user_id":\#(userID),"terminal_id":\#(terminal)}"#, as: partner)
                #expect(granted.json["status"] as? String == "ok")
                let sent = try await client.partnerAPI("/v5/partner/client/user/send_auth", #"{"request_id":"s-1","client_id":\#(clientID),"user_id":\#(userID)}"#, as: partner)
                #expect(sent.json["status"] as? String == "ok")
                server.clock.advance(by: 100_001)
                let grantStatus = try await client.partnerAPI("/v5/partner/request/status", #"{"request_id":"g-1"}"#, as: partner)
                #expect(grantStatus.json["request_status"] as? String == "success")
                #expect(grantStatus.json["user_id"] as? Int == userID)
                let refused = try await client.partnerAPI("/v5/partner/request/status", #"{"request_id":"s-0"}"#, as: partner)
                #expect(refused.json["request_status"] as? String == "error")
                #expect(refused.json["error_code"] as? Int == 1001)
            }
            let outbox = try await server.services.store.read { db in
                try await PartnerClientRepository().authMessages(partner: partner.id, user: 1, in: db)
            }
            #expect(outbox.map(\.channel) == ["sms", "email"])
            #expect(outbox.first?.destination == "*******4567")
            let sms = try await server.services.store.read { db in
                try await SMSOutbox().messages(partner: partner.id, phone: "77011234567", in: db)
            }
            #expect(sms.count == 1 && sms.first?.text.contains("TOO Example") == true)
        }
    }

    @Test func flatOldShapeCreatesTheClientAndItsCEOAsFirstUser() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                let added = try await client.partnerAPI("/v5/partner/client/add", Self.flatShape, as: partner)
                #expect(added.json["status"] as? String == "ok")
                #expect(added.json["request_status"] as? String == "success")
                #expect(added.json["client_id"] is Int && added.json["user_id"] is Int)
            }
            #expect(try await server.count("partner_clients") == 1)
            #expect(try await server.count("partner_client_users") == 1)
        }
    }

    @Test func reusedRequestIDIsRejectedWith1002AndNothingRunsTwice() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                _ = try await client.partnerAPI("/v5/partner/client/add", Self.newShape, as: partner)
                let again = try await client.partnerAPI("/v5/partner/client/add", Self.newShape, as: partner)
                #expect(again.status == .ok)
                #expect(again.json["status"] as? String == "error")
                #expect(again.json["error_code"] as? Int == 1002)
                #expect(again.headers[HTTPField.Name("X-Request-Status")!] == "error")
                let refused = try await client.partnerAPI("/v5/partner/client/user/add", Self.user("u-404", client: 999), as: partner)
                #expect(refused.json["error_code"] as? Int == 404)
                #expect(refused.headers[HTTPField.Name("X-Request-Status")!] == "error")
                let unknown = try await client.partnerAPI("/v5/partner/request/status", #"{"request_id":"never"}"#, as: partner)
                #expect(unknown.json["error_code"] as? Int == 1006)
            }
            #expect(try await server.count("partner_clients") == 1)
        }
    }

    @Test func invalidBodiesAnswer1001NamingTheField() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                let cases: [(String, String, String)] = [
                    ("/v5/partner/client/add", Self.newShape.replacingOccurrences(of: #""bin":"123456789012""#, with: #""bin":"12345""#), "company.bin"),
                    ("/v5/partner/client/add", Self.newShape.replacingOccurrences(of: #""package_name":"kz.freedompay.softpos""#, with: #""x":1"#), "product.package_name"),
                    ("/v5/partner/client/add", Self.newShape.replacingOccurrences(of: "EXAMPLE SHOP", with: "A DESCRIPTOR LONGER THAN 24 CHARS"), "product.descriptor"),
                    ("/v5/partner/client/add", Self.newShape.replacingOccurrences(of: #""product_id":10001"#, with: #""product_id":99"#), "product.product_id"),
                    ("/v5/partner/client/user/add", Self.user("u", client: 1).replacingOccurrences(of: "aigerim@example.kz", with: "nope"), "user_info.email"),
                    ("/v5/partner/client/user/add", #"{"request_id":"u","user_info":{}}"#, "client_id"),
                    ("/v5/partner/client/product/add", #"{"request_id":"p","client_id":1,"product":{"product_id":20000,"name":"W","mcc":"5411","descriptor":"W"}}"#, "product.merchant_url"),
                    ("/v5/partner/client/user/grant", #"{"request_id":"g","client_id":1,"user_id":1}"#, "product_uuid"),
                    ("/v5/partner/dictionaries", #"{"dictionary":"colours"}"#, "dictionary"),
                ]
                for (path, body, field) in cases {
                    let response = try await client.partnerAPI(path, body, as: partner)
                    #expect(response.json["error_code"] as? Int == 1001, "\(path) \(field)")
                    #expect((response.json["error_description"] as? String)?.contains(field) == true, "\(response.text)")
                }
            }
            #expect(try await server.count("partner_clients") == 0)
        }
    }

    @Test func anotherPartnersClientIsNotFoundAndNothingChanges() async throws {
        try await withPartnerServer { server in
            let owner = try await server.createPartner()
            let other = try await server.createPartner()
            try await server.withRouter { client in
                let added = try await client.partnerAPI("/v5/partner/client/add", Self.newShape, as: owner)
                let clientID = try #require(added.json["client_id"] as? Int)
                let uuid = try #require((added.json["product"] as? [String: Any])?["product_uuid"] as? String)
                let user = try await client.partnerAPI("/v5/partner/client/user/add", Self.user("x-1", client: clientID), as: other)
                #expect(user.json["error_code"] as? Int == 404)
                let product = try await client.partnerAPI("/v5/partner/client/product/add", #"{"request_id":"x-2","client_id":\#(clientID),"product":{"product_id":11001,"serial_number":"SN1"}}"#, as: other)
                #expect(product.json["error_code"] as? Int == 404)
                let grant = try await client.partnerAPI("/v5/partner/client/user/grant", #"{"request_id":"x-3","client_id":\#(clientID),"user_id":1,"product_uuid":"\#(uuid)"}"#, as: other)
                #expect(grant.json["error_code"] as? Int == 404)
                let status = try await client.partnerAPI("/v5/partner/request/status", #"{"request_id":"0194c3b2-0000-7000-8000-000000000001"}"#, as: other)
                #expect(status.json["error_code"] as? Int == 1006)
                let auth = try await client.partnerAPI("/v5/partner/client/user/send_auth", #"{"request_id":"x-4","client_id":\#(clientID),"user_id":1}"#, as: other)
                #expect(auth.json["error_code"] as? Int == 404)
                let ownUnknownAuth = try await client.partnerAPI("/v5/partner/client/user/send_auth", #"{"request_id":"o-2","client_id":\#(clientID),"user_id":999}"#, as: owner)
                #expect(ownUnknownAuth.json["error_code"] as? Int == 404)
                let ownUnknownProduct = try await client.partnerAPI("/v5/partner/client/user/grant", #"{"request_id":"o-3","client_id":\#(clientID),"user_id":1,"terminal_id":1}"#, as: owner)
                #expect(ownUnknownProduct.json["error_code"] as? Int == 404)
                let ownUnknownUser = try await client.partnerAPI("/v5/partner/client/user/grant", #"{"request_id":"o-1","client_id":\#(clientID),"user_id":999,"product_uuid":"\#(uuid)"}"#, as: owner)
                #expect(ownUnknownUser.json["error_code"] as? Int == 404)
            }
            #expect(try await server.count("partner_client_users") == 0)
            #expect(try await server.count("partner_client_products") == 1)
            #expect(try await server.count("partner_user_grants") == 0)
            #expect(try await server.count("partner_auth_messages") == 0)
        }
    }

    @Test func dictionariesListProductsAndRequestStates() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                let all = try await client.partnerAPI("/v5/partner/dictionaries", "{}", as: partner)
                let dictionaries = try #require(all.json["dictionaries"] as? [String: Any])
                let products = (dictionaries["product"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
                #expect(products == ["10001", "11001", "20000"])
                #expect((dictionaries["request"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["success", "process", "error"])
                #expect(dictionaries["freedom_pos"] != nil && dictionaries["limits"] != nil && dictionaries["freedom_box"] != nil)
                let one = try await client.partnerAPI("/v5/partner/dictionaries", #"{"dictionary":"freedom_pos"}"#, as: partner)
                let only = try #require(one.json["dictionaries"] as? [String: Any])
                #expect(only.keys.sorted() == ["freedom_pos"])
            }
        }
    }
}
