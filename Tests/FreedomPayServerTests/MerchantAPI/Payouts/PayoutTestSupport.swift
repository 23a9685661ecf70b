import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import NIOCore
import Testing

/// The documented payout test cards (merchant-api.md §6.2).
enum PayoutCard {
    static let success = "4671593866478252"
    static let serviceUnavailable = "5325349472901311"
    static let contactIssuer = "4556046085041740"
    static let insufficient = "5543974702876045"
    static let processThenSuccess = "5507841999732294"
    static let processThenError = "4532676596620704"
    static let unionPay = "6204500338419360939"
}

extension TestServer {
    /// `Y-m-d H:i:s` one day after the server clock (UTC).
    var tomorrow: String {
        WireDate.plain(clock.now().addingTimeInterval(86_400), timeZone: TimeZone(identifier: "UTC")!)
    }

    /// Credits the merchant's KZT payout balance directly through the service (minor units).
    func fund(_ merchant: Merchant, minor: Int64) async throws {
        _ = try await services.store.write { db in
            try await services.payouts.fund(merchant: merchant.id, amountMinor: minor, currency: .kzt, in: db)
        }
    }

    func payoutBalance(_ merchant: Merchant) async throws -> Int64 {
        try await services.store.write { db in try await services.payouts.balance(merchant: merchant.id, currency: .kzt, in: db) }
    }

    var payoutSweeper: PayoutSweeper { PayoutSweeper(services: services) }

    func payoutCallbacks(_ paymentID: String) async throws -> [OutboxCallback] {
        try await services.store.read { db in try await OutboxRepository().callbacks(kind: .payout, subjectID: paymentID, in: db) }
    }
}

extension TestClientProtocol {
    /// A payout-secret-signed call; `/v1/merchant/...` paths get `pg_merchant_id` in the form as the docs show.
    func payoutAPI(_ path: String, _ fields: [(String, String)], as merchant: Merchant) async throws -> [PGParameter] {
        var parameters = fields.map { PGParameter($0.0, $0.1) }
        if path.hasPrefix("/v1/merchant/") { parameters.insert(PGParameter("pg_merchant_id", String(merchant.id.rawValue)), at: 0) }
        return try await merchantAPI(path, parameters, as: merchant, secret: .payout).xml
    }

    /// Saves `card` for `user` through the hosted page (plain form posts) and returns its token.
    func payoutToken(_ merchant: Merchant, user: String = "user_42", card: String = PayoutCard.success,
                     postLink: String = "https://shop.example/cards/notify") async throws -> String {
        let added = try await payoutAPI("/v1/merchant/\(merchant.id.rawValue)/cardstoragepayout/add", [
            ("pg_user_id", user), ("pg_post_link", postLink), ("pg_back_link", "https://shop.example/cards"),
        ], as: merchant)
        let url = try #require(added.value("pg_redirect_url"))
        let components = try #require(URLComponents(string: url))
        let path = components.path + "?" + (components.percentEncodedQuery ?? "")
        let page = try await executeRequest(uri: path, method: .get, headers: [:], body: nil)
        #expect(page.status == .ok)
        let saved = try await executeRequest(
            uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "card_number=\(card)&expiry=12%2F39&cvv=123&holder=Ivan+Ivanov"))
        #expect(saved.location == "https://shop.example/cards")
        let list = try await payoutAPI("/v1/merchant/\(merchant.id.rawValue)/cardstoragepayout/list", [("pg_user_id", user)], as: merchant)
        let cards = list.compactMap { parameter -> [PGParameter]? in
            if parameter.name == "card", case .nested(let fields) = parameter.value { return fields }
            return nil
        }
        // Cards saved in the same second list in card-id order: pick the one with this card's mask.
        guard let token = cards.last(where: { $0.value("pg_card_hash") == CardNumber.mask(card) })?.value("pg_card_token") else {
            Issue.record("the saved payout card is not listed")
            return ""
        }
        return token
    }

    /// A valid reg2reg form with `overrides` replacing (or, value nil, removing) fields.
    func reg2reg(_ merchant: Merchant, token: String, order: String, amount: String = "2500", timeLimit: String,
                 overrides: [String: String?] = [:]) async throws -> [PGParameter] {
        var fields: [(String, String)] = [
            ("pg_order_id", order), ("pg_amount", amount), ("pg_description", "Cashback"), ("pg_order_time_limit", timeLimit),
            ("pg_user_id", "user_42"), ("pg_post_link", "https://shop.example/payout/notify"), ("pg_card_token_to", token),
        ]
        for (name, value) in overrides {
            fields.removeAll { $0.0 == name }
            if let value { fields.append((name, value)) }
        }
        return try await payoutAPI("/api/reg2reg", fields, as: merchant)
    }
}
