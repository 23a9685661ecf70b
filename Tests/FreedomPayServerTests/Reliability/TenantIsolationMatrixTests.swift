import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// For every route of the route table that takes an object id, a second partner using the first partner's ids
/// gets that API's "not found" answer (the same it gets for ids that never existed), and the store is unchanged.
@Suite struct TenantIsolationMatrixTests {
    /// The owner's objects, one of each kind the routes name.
    struct OwnerObjects {
        var client = "", card = "", token = "", strangerClient = "", transaction = "", issueRequest = "", debitRequest = ""
        var gift = 0, giftCode = "", partnerClient = 0, partnerUser = 0, terminal = 0
        let partnerRequest = "0194c3b2-0000-7000-8000-000000000001"
        let wallet = "77011234567"
    }

    static func setUp(_ client: any TestClientProtocol, owner: Partner, stranger: Partner) async throws -> OwnerObjects {
        var ids = OwnerObjects()
        ids.client = try await client.addClient(as: owner)
        ids.issueRequest = CardBodies.uuid()
        _ = try await client.cardAPI("/v5/card-api/card/issue",
                                     CardBodies.json(IssueCardRequest(requestID: ids.issueRequest, productID: 2000, clientID: ids.client)), as: owner)
        ids.card = try #require(try await client.cardsOf(request: ids.issueRequest, as: owner).first)
        ids.strangerClient = try await client.addClient(as: stranger)
        let info = try await client.cardAPI("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: ids.card)), as: owner)
        ids.token = try #require(info.json["card_token"] as? String)
        _ = try await client.cardAPI("/v5/card-api/transaction/create", TransactionTests.create(ids.card, "credit", "100"), as: owner)
        ids.debitRequest = CardBodies.uuid()
        let debit = try await client.cardAPI("/v5/card-api/transaction/create",
                                             TransactionTests.create(ids.card, "debit", "10", order: "ISO-1", requestID: ids.debitRequest), as: owner)
        ids.transaction = try #require(debit.json["transaction_id"] as? String, "\(debit.text)")

        try await GiftCardTests.fund(client, owner, "100")
        let gift = try await client.cardAPI("/v5/cards/issue_card", GiftCardTests.issueBody, as: owner)
        ids.gift = try #require(gift.json["card_id"] as? Int, "\(gift.text)")
        ids.giftCode = try await GiftCardTests.latestCode(client, owner)

        let added = try await client.partnerAPI("/v5/partner/client/add", ProductsAPITests.newShape, as: owner)
        ids.partnerClient = try #require(added.json["client_id"] as? Int, "\(added.text)")
        let user = try await client.partnerAPI("/v5/partner/client/user/add", ProductsAPITests.user("u-1", client: ids.partnerClient), as: owner)
        ids.partnerUser = try #require(user.json["user_id"] as? Int, "\(user.text)")
        let ecom = try await client.partnerAPI("/v5/partner/client/product/add", #"{"request_id":"p-1","client_id":\#(ids.partnerClient),"product":{"product_id":20000,"name":"Example Web","mcc":"5411","descriptor":"EXAMPLE WEB","merchant_url":"https://example.kz"}}"#, as: owner)
        ids.terminal = try #require((ecom.json["product"] as? [String: Any])?["terminal_id"] as? Int, "\(ecom.text)")
        _ = try await WalletAPITests.open(client, owner, ids.wallet)
        let topup = WalletAPITests.money("topup", "t-1", ids.wallet, "100")
        _ = try await client.partnerAPI(topup.0, topup.1, as: owner)
        return ids
    }

    /// The bodies the stranger sends, by route: each names one of the owner's objects.
    static func bodies(_ ids: OwnerObjects, stranger: Partner) throws -> [String: [String]] {
        let uuid = CardBodies.uuid
        let pin = try CardDataCipher(partnerSecret: stranger.secret, authID: stranger.authID).seal("1234")
        let card = CardBodies.json(CardRequest(cardID: ids.card))
        let c = "/v5/card-api/", g = "/v5/cards/", p = "/v5/partner/"
        let step = { TransactionTests.step(ids.transaction, order: "ISO-1") }
        let period = #"{"card_id":"\#(ids.card)","start_date":"2020-01-01T00:00:00Z","end_date":"2030-01-01T00:00:00Z"}"#
        return [
            c + "request/status": [#"{"request_id":"\#(ids.issueRequest)"}"#],
            c + "transaction/status": [#"{"request_id":"\#(ids.debitRequest)"}"#],
            c + "client/update": [CardBodies.json(ClientUpdateRequest(requestID: uuid(), clientID: ids.client, productID: 2000, client: ClientPhone(phone: 77010000000)))],
            c + "client/cards": [CardBodies.json(ClientCardsRequest(clientID: ids.client))],
            c + "card/link": [CardBodies.json(CardLinkRequest(requestID: uuid(), clientID: ids.strangerClient, cardID: ids.card))],
            c + "external/cardholder_validate": [CardBodies.json(CardholderValidateRequest(
                userPhone: "7077070707", firstName: "Ivan", lastName: "Ivanov", cardToken: ids.token, requestID: uuid()))],
            c + "card/issue": [CardBodies.json(IssueCardRequest(requestID: uuid(), productID: 2000, clientID: ids.client))],
            c + "card/issue_plastic": [CardBodies.json(IssuePlasticCardRequest(requestID: uuid(), productID: 2000, clientID: ids.client))],
            c + "card/info": [card], c + "card/balance": [card], c + "card/secret": [card],
            c + "card/secret_v2": [CardBodies.json(CardSecretV2Request(cardID: ids.card, publicKey: CardOwnershipTests.publicKeyPEM))],
            c + "card/activate": [CardBodies.action(ids.card)], c + "card/block": [CardBodies.action(ids.card)],
            c + "card/unblock": [CardBodies.action(ids.card)], c + "card/close": [CardBodies.action(ids.card)],
            c + "card/set_pin": [CardBodies.json(SetPINRequest(cardID: ids.card, pin: pin))],
            c + "card/reset_counter_pin": [CardBodies.action(ids.card)],
            c + "card/statement": [card, period], c + "card/statement_extended": [period],
            c + "limits/set": [LimitEndpointTests.set("card", ids.card, limits: [LimitEndpointTests.atm]),
                               LimitEndpointTests.set("client", ids.client, limits: [LimitEndpointTests.atm])],
            c + "limits/list": [CardBodies.json(ListLimitsRequest(requestID: uuid(), object: LimitObject(type: "card", value: ids.card))),
                                CardBodies.json(ListLimitsRequest(requestID: uuid(), object: LimitObject(type: "client", value: ids.client)))],
            c + "transaction/create": [TransactionTests.create(ids.card, "debit", "1"), TransactionTests.create(ids.card, "credit", "1")],
            c + "transaction/clearing": [step()], c + "transaction/refund": [step()], c + "transaction/cancel": [step()],
            c + "transaction/info": [step()],
            g + "activate_card": [#"{"otp":"\#(ids.giftCode)","card_id":\#(ids.gift)}"#],
            g + "resend_code": [#"{"card_id":\#(ids.gift)}"#], g + "resend": [#"{"card_id":\#(ids.gift)}"#],
            g + "card_status": [#"{"card_id":\#(ids.gift)}"#],
            p + "client/user/add": [ProductsAPITests.user("x-1", client: ids.partnerClient)],
            p + "client/product/add": [#"{"request_id":"x-2","client_id":\#(ids.partnerClient),"product":{"product_id":20000,"name":"W","mcc":"5411","descriptor":"W","merchant_url":"https://example.kz"}}"#],
            p + "client/user/grant": [#"{"request_id":"x-3","client_id":\#(ids.partnerClient),"user_id":\#(ids.partnerUser),"terminal_id":\#(ids.terminal)}"#],
            p + "client/user/send_auth": [#"{"request_id":"x-4","client_id":\#(ids.partnerClient),"user_id":\#(ids.partnerUser)}"#],
            p + "request/status": [#"{"request_id":"\#(ids.partnerRequest)"}"#],
            p + "client/request/status": [#"{"request_id":"\#(ids.partnerRequest)"}"#],
            p + "wallet/identification": [#"{"request_id":"x-5","identifier":"\#(ids.wallet)","owner":\#(WalletAPITests.owner)}"#],
            p + "wallet/info": [#"{"identifier":"\#(ids.wallet)"}"#], p + "wallet/balance": [#"{"identifier":"\#(ids.wallet)"}"#],
            p + "wallet/statement": [#"{"identifier":"\#(ids.wallet)"}"#],
            p + "wallet/block": [#"{"request_id":"x-6","identifier":"\#(ids.wallet)","description":"x"}"#],
            p + "wallet/close": [#"{"request_id":"x-7","identifier":"\#(ids.wallet)","description":"x"}"#],
            p + "wallet/request/status": [#"{"request_id":"t-1"}"#],
            p + "wallet/topup": [WalletAPITests.money("topup", "x-8", ids.wallet, "1").1],
            p + "wallet/withdraw": [WalletAPITests.money("withdraw", "x-9", ids.wallet, "1").1],
            p + "wallet/transfer": [WalletAPITests.money("transfer", "x-10", ids.wallet, "1", to: ids.wallet).1],
        ]
    }

    /// The API's "unknown object" answer: never a success, never a different refusal that would betray existence.
    static func isNotFound(_ response: TestResponse, _ route: APIRoute) -> Bool {
        switch route.api {
        case .giftCards: return response.json["status"] as? Int == -7
        case .partnerAPI: return ["404", "1004", "1006"].contains(response.errorCode ?? "")
        default:
            let codes = ["card_not_found", "client_not_found", "request_not_found", "transaction_not_found"]
            return codes.contains(response.json["error_code"] as? String ?? "")
        }
    }

    @Test func anotherPartnersIdsAreNotFoundOnEveryRouteAndChangeNothing() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let owner = try await server.createPartner(name: "Owner")
        let stranger = try await server.createPartner(name: "Stranger")
        try await server.withRouter { client in
            let ids = try await Self.setUp(client, owner: owner, stranger: stranger)
            let bodies = try Self.bodies(ids, stranger: stranger)
            let before = try await StoreFingerprint.take(server)
            var checked = 0
            for route in APIRouteTable.routes where !route.objectIDs.isEmpty && route.api != .merchantAPI {
                let cases = try #require(bodies[route.path], "no isolation case for \(route.path): add one")
                for body in cases {
                    let response = try await client.signed(route, body, as: stranger)
                    #expect(Self.isNotFound(response, route), "\(route.path): \(response.text)")
                    checked += 1
                }
            }
            let after = try await StoreFingerprint.take(server)
            for table in before.keys.sorted() where before[table] != after[table] && !Self.strangerOwnTables.contains(table) {
                Issue.record("table \(table) changed after the stranger's calls")
            }
            print("RELIABILITY isolation_cases=\(checked)")
        }
    }

    /// Tables where a refused call legitimately records the stranger's OWN request (its request id stays used).
    static let strangerOwnTables: Set<String> = ["requests"]
}
