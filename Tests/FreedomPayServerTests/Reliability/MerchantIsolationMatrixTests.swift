import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import NIOCore
import Testing

@testable import FreedomPayServer

/// Tenant isolation on the Merchant API: every route of `APIRouteTable` that names an existing object (payment,
/// order, recurring profile, saved purchase or payout card, payout), called by another merchant with the owner's
/// ids, answers exactly what an id that never existed answers (11068 "Payment not found.", 1999 "Card not found",
/// an empty card list) and changes nothing. Every Merchant API route of the table must be classified here, either
/// with its cases or as taking no object id, so a new route cannot be left out.
@Suite struct MerchantIsolationMatrixTests {
    /// The owner's objects the intruder tries.
    struct Objects {
        var payment = "", order = "", profile = "", token = "", cardID = "", tokenPayment = ""
        var payoutToken = "", payoutCardID = "", payout = "", payoutOrder = ""
    }

    /// One intruder call: the owner's ids, the same call with ids that never existed, the documented answer
    /// (`pg_error_code`; nil = an empty `<card>` list).
    struct Case {
        let parameters: [(String, String)]
        let ghost: [(String, String)]
        let code: String?
    }

    /// Merchant API routes that name no existing object: they create one, or act on the caller's own account.
    static let noObjectID: [String: String] = [
        "/init_payment.php": "creates a payment", "/init_payment": "creates a payment",
        "/v1/merchant/{merchant_id}/cardstorage/add": "starts saving a new card",
        "/v1/merchant/{merchant_id}/cardstoragepayout/add": "starts saving a new payout card",
        "/v1/merchant/{merchant_id}/cardstoragepayout/add2": "starts saving a new payout card",
        "/api/reg2nonreg": "creates a payout", "/api/to_iban": "creates a payout",
        "/api/balance_status": "the caller's own balance", "/api/sandbox/fund": "credits the caller's own balance",
        "/sandbox/callbacks/listen": "the caller's own callbacks",
        "/sandbox/callbacks/reply": "in-memory relay deliveries, not stored (isolation: CallbackListenTests)",
    ]

    static func notFound(_ name: String, _ owner: String, _ ghost: String, extra: [(String, String)] = []) -> Case {
        Case(parameters: extra + [(name, owner)], ghost: extra + [(name, ghost)], code: "11068")
    }

    /// The intruder's calls on `path`; nil for a route this matrix does not know (the coverage test fails on it).
    static func cases(_ path: String, _ o: Objects) -> [Case]? {
        let user = [("pg_user_id", "user_42")]
        let newOrder = [("pg_order_id", "ISO-NEW-1"), ("pg_amount", "10"), ("pg_description", "Intruder")]
        let cardNotFound = { (name: String, value: String, extra: [(String, String)]) in
            Case(parameters: extra + [(name, value)], ghost: extra + [(name, "9876543210")], code: "1999")
        }
        switch path.replacingOccurrences(of: ".php", with: "") {
        case "/get_status3":
            return [notFound("pg_payment_id", o.payment, "9876543210"), notFound("pg_order_id", o.order, "NO-SUCH-ORDER")]
        case "/do_capture", "/cancel", "/revoke":
            return [notFound("pg_payment_id", o.payment, "9876543210")]
        case "/make_recurring_payment":
            return [notFound("pg_recurring_profile", o.profile, "987654321", extra: [("pg_amount", "990"), ("pg_description", "Plan")])]
        case "/v1/merchant/{merchant_id}/cardstorage/list", "/v1/merchant/{merchant_id}/cardstoragepayout/list":
            return [Case(parameters: user, ghost: [("pg_user_id", "user_never_seen")], code: nil)]
        case "/v1/merchant/{merchant_id}/cardstorage/remove":
            return [cardNotFound("pg_card_token", o.token, user), cardNotFound("pg_card_id", o.cardID, user)]
        case "/v1/merchant/{merchant_id}/cardstoragepayout/remove":
            return [cardNotFound("pg_card_token", o.payoutToken, user), cardNotFound("pg_card_id", o.payoutCardID, user)]
        case "/v1/merchant/{merchant_id}/card/init":
            return [cardNotFound("pg_card_token", o.token, newOrder + user), cardNotFound("pg_card_id", o.cardID, newOrder + user)]
        case "/v1/merchant/{merchant_id}/card/pay", "/v1/merchant/{merchant_id}/card/direct":
            return [notFound("pg_payment_id", o.tokenPayment, "9876543210")]
        case "/api/reg2reg":
            let limit = WireDate.plain(Date().addingTimeInterval(86_400 * 30), timeZone: TimeZone(identifier: "UTC")!)
            return [cardNotFound("pg_card_token_to", o.payoutToken, newOrder + user + [
                ("pg_order_time_limit", limit), ("pg_post_link", "https://shop.example/payout/notify")])]
        case "/api/payment_status":
            return [notFound("pg_payment_id", o.payout, "9876543210")]
        case "/api/payment_status2":
            return [notFound("pg_order_id", o.payoutOrder, "NO-SUCH-ORDER"),
                    notFound("pg_order_id", o.payoutOrder, "NO-SUCH-ORDER", extra: [("pg_payment_id", o.payout)])]
        case "/get_status2":
            return [notFound("pg_order_id", o.payoutOrder, "NO-SUCH-ORDER")]
        default:
            return nil
        }
    }

    static var merchantRoutes: [APIRoute] {
        APIRouteTable.routes.filter { $0.api == .merchantAPI && $0.method == "POST" }
    }

    @Test func everyMerchantAPIRouteIsClassified() {
        for route in Self.merchantRoutes {
            let known = Self.cases(route.path, Objects()) != nil
            let exempt = Self.noObjectID[route.path] != nil
            #expect(known != exempt, "\(route.path): add its isolation cases, or to noObjectID with the reason it names no object")
            if !route.objectIDs.isEmpty { #expect(known, "\(route.path) takes \(route.objectIDs) but has no isolation cases") }
        }
        let paths = Set(Self.merchantRoutes.map(\.path))
        for path in Self.noObjectID.keys { #expect(paths.contains(path), "\(path) is no longer a route") }
    }

    @Test func anotherMerchantsIdsAreNotFoundOnEveryRoute() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let owner = try await server.createMerchant(name: "Owner")
        let intruder = try await server.createMerchant(name: "Intruder")
        try await server.fund(owner, minor: 1_000_000)
        try await server.fund(intruder, minor: 1_000_000)
        try await server.withRouter { client in
            let objects = try await Self.ownerObjects(client, server, owner)
            let before = try await StoreFingerprint.take(server)
            let callbacksBefore = try await Self.callbacks(server)
            var checked = 0
            for route in Self.merchantRoutes {
                let path = route.path.replacingOccurrences(of: "{merchant_id}", with: String(intruder.id.rawValue))
                let secret: Merchant.SecretKind = APIRoute.usesPayoutSecret(route.path) ? .payout : .payment
                for check in Self.cases(route.path, objects) ?? [] {
                    let answer = try await Self.call(client, path, check.parameters, intruder, secret)
                    let ghost = try await Self.call(client, path, check.ghost, intruder, secret)
                    if let code = check.code {
                        #expect(answer.value("pg_error_code") == code, "\(route.path) \(check.parameters): \(answer)")
                        #expect(Self.description(answer, check.parameters) == Self.description(ghost, check.ghost),
                                "\(route.path) answers the owner's id unlike an unknown one: \(answer) / \(ghost)")
                    } else {
                        #expect(answer.filter { $0.name == "card" }.isEmpty && ghost.filter { $0.name == "card" }.isEmpty,
                                "\(route.path) lists another merchant's cards: \(answer)")
                    }
                    checked += 1
                }
            }
            #expect(checked >= 27)
            let after = try await StoreFingerprint.take(server)
            // The dispatcher keeps attempting the owner's callbacks meanwhile: compare the outbox without its delivery state.
            for table in before.keys.sorted() where before[table] != after[table] && !["requests", "callback_outbox"].contains(table) {
                Issue.record("table \(table) changed after the intruder's calls")
            }
            #expect(try await Self.callbacks(server) == callbacksBefore, "the intruder's calls queued or changed callbacks")
            print("RELIABILITY merchant_isolation_cases=\(checked)")
        }
    }

    /// What the callback outbox holds, without the dispatcher's delivery bookkeeping.
    static func callbacks(_ server: TestServer) async throws -> [String] {
        try await server.services.store.read { db in
            try await db.query("SELECT id, merchant_id, kind, subject_id, url, parameters FROM callback_outbox ORDER BY id", [])
                .map { $0.values.map { "\($0)" }.joined(separator: "|") }
        }
    }

    /// The error description with the id the call named (the last field) blanked: some descriptions echo it.
    static func description(_ answer: [PGParameter], _ fields: [(String, String)]) -> String? {
        guard let id = fields.last?.1 else { return answer.value("pg_error_description") }
        return answer.value("pg_error_description")?.replacingOccurrences(of: id, with: "<id>")
    }

    static func call(_ client: some TestClientProtocol, _ path: String, _ fields: [(String, String)], _ merchant: Merchant,
                     _ secret: Merchant.SecretKind) async throws -> [PGParameter] {
        var parameters = fields.map { PGParameter($0.0, $0.1) }
        if path.hasPrefix("/v1/merchant/") { parameters.insert(PGParameter("pg_merchant_id", String(merchant.id.rawValue)), at: 0) }
        return try await client.merchantAPI(path, parameters, as: merchant, secret: secret).xml
    }

    /// A paid payment (held, order id), a recurring profile, a saved purchase card and a payment created with it,
    /// a saved payout card and a payout, all the owner's.
    static func ownerObjects(_ client: some TestClientProtocol, _ server: TestServer, _ owner: Merchant) async throws -> Objects {
        var o = Objects()
        o.order = "ISO-ORDER-1"
        o.payment = try await client.paidPayment(owner, [("pg_auto_clearing", "0"), ("pg_order_id", o.order)]).id
        let (recurring, _) = try await client.paidPayment(owner, [("pg_recurring_start", "1"), ("pg_recurring_lifetime", "1")])
        let status = try await client.merchantAPI("/get_status3.php", [PGParameter("pg_payment_id", recurring)], as: owner).xml
        o.profile = try #require(status.value("pg_recurring_profile_id"))
        (o.token, o.cardID) = try await savedCard(client, owner, segment: "cardstorage", secret: .payment, card: TestCard.unionPay)
        let initiated = try await call(client, "/v1/merchant/\(owner.id.rawValue)/card/init", [
            ("pg_order_id", "ISO-TOKEN-1"), ("pg_amount", "10"), ("pg_description", "Saved card"), ("pg_user_id", "user_42"),
            ("pg_card_token", o.token)], owner, .payment)
        o.tokenPayment = try #require(initiated.value("pg_payment_id"), "\(initiated)")
        (o.payoutToken, o.payoutCardID) = try await savedCard(client, owner, segment: "cardstoragepayout", secret: .payout, card: PayoutCard.success)
        o.payoutOrder = "ISO-PAYOUT-1"
        let paid = try await client.reg2reg(owner, token: o.payoutToken, order: o.payoutOrder, timeLimit: server.tomorrow)
        o.payout = try #require(paid.value("pg_payment_id"), "\(paid)")
        return o
    }

    /// Saves `card` for user_42 through the hosted form; returns its token and card id as the owner's list shows them.
    static func savedCard(_ client: some TestClientProtocol, _ owner: Merchant, segment: String, secret: Merchant.SecretKind,
                          card: String) async throws -> (String, String) {
        let base = "/v1/merchant/\(owner.id.rawValue)/\(segment)"
        let added = try await call(client, base + "/add", [
            ("pg_user_id", "user_42"), ("pg_post_link", "https://shop.example/cards/notify"), ("pg_back_link", "https://shop.example/cards"),
        ], owner, secret)
        let url = try #require(added.value("pg_redirect_url"), "\(added)")
        let page = try #require(URLComponents(string: url))
        let saved = try await client.executeRequest(
            uri: page.path + "?" + (page.percentEncodedQuery ?? ""), method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "card_number=\(card)&expiry=12%2F39&cvv=123&holder=Ivan+Ivanov"))
        #expect(saved.location == "https://shop.example/cards")
        let list = try await call(client, base + "/list", [("pg_user_id", "user_42")], owner, secret)
        let fields = list.compactMap { parameter -> [PGParameter]? in
            if parameter.name == "card", case .nested(let fields) = parameter.value { return fields }
            return nil
        }.first ?? []
        let token = try #require(fields.value("pg_card_token"), "no saved card listed on \(segment): \(list)")
        return (token, try #require(fields.value("pg_card_id")))
    }
}
