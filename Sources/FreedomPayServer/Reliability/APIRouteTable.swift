/// One route the server answers, as documented in `/openapi.json` and walked by the reliability tests
/// (attack matrix, tenant isolation, fuzzing). The router is the truth; `OpenAPICoverageTests` checks that
/// this table and `Router.routes` name exactly the same routes.
public struct APIRoute: Sendable, Hashable {
    /// Which API (and so which signature scheme and error envelope) a route belongs to.
    public enum API: String, Sendable, CaseIterable {
        /// `/v5/card-api/...`: JWS HS512 or legacy Sign, Card API envelope.
        case cardAPI
        /// `/v5/cards/...`: Card API signatures, gift envelope (`status` integer, `datetime`).
        case giftCards
        /// `/v5/card-api/sandbox/...`: Card API signatures, sandbox mode only.
        case sandbox
        /// `/v5/partner/...`: JWS HS256, Partner API envelope (E-Money routes: string `error_code`).
        case partnerAPI
        /// Merchant API (`pg_sig`, XML answers); routes join this table as they are implemented.
        case merchantAPI
        /// The hosted payment and card-storage pages, for buyers' browsers (HTML, no signature).
        case page
        /// Unsigned service routes (health, metrics, this document).
        case service
    }

    public let api: API
    public let method: String
    public let path: String
    public let summary: String
    /// Body fields naming an object that belongs to the calling partner (tenant isolation applies).
    public let objectIDs: [String]

    public init(_ api: API, _ path: String, _ summary: String, ids: [String] = [], method: String = "POST") {
        self.api = api
        self.method = method
        self.path = path
        self.summary = summary
        self.objectIDs = ids
    }

    /// Merchant API routes verified with the payout secret (`/api/...`, `get_status2.php`, payout card storage).
    public static func usesPayoutSecret(_ path: String) -> Bool {
        path.hasPrefix("/api/") || path == "/get_status2.php" || path.contains("/cardstoragepayout/")
    }

    /// Signed routes are every route but the service ones and the buyer-facing pages.
    public var isSigned: Bool { api != .service && api != .page }
    /// Partner API E-Money routes render `error_code` as a string.
    public var stringErrorCode: Bool { api == .partnerAPI && path.hasPrefix("/v5/partner/wallet") }
}

public enum APIRouteTable {
    /// Every route registered by `FreedomPayApplication.makeRouter` (sandbox routes only in sandbox mode).
    public static let routes: [APIRoute] = service + cardAPI + giftCards + sandbox + partnerAPI + merchantAPI + pages

    static let service: [APIRoute] = [
        APIRoute(.service, "/status/healthcheck", "Liveness: status ok and the server time", method: "GET"),
        APIRoute(.service, "/metrics", "Prometheus metrics (requests, latency, signature failures, postings)", method: "GET"),
        APIRoute(.service, "/openapi.json", "This OpenAPI document", method: "GET"),
        APIRoute(.service, "/docs", "The API reference as an HTML page", method: "GET"),
    ]

    static let cardAPI: [APIRoute] = [
        card("request/status", "State of an earlier request by its request_id", ids: ["request_id"]),
        card("transaction/status", "State of an earlier transaction request by its request_id", ids: ["request_id"]),
        card("dictionaries", "Reference dictionaries (products, statuses, currencies)"),
        card("client/add", "Register a cardholder (client) for a product"),
        card("client/update", "Change a client's contact data", ids: ["client_id"]),
        card("client/cards", "Cards of a client", ids: ["client_id"]),
        card("card/link", "Link an existing card to another client", ids: ["client_id", "card_id"]),
        card("external/cardholder_validate", "Check a cardholder's name and phone against a card token", ids: ["card_token"]),
        card("card/issue", "Issue a virtual card (asynchronous; see request/status)", ids: ["client_id"]),
        card("card/bulk_issue", "Issue several virtual cards in one request"),
        card("card/issue_plastic", "Order a plastic card", ids: ["client_id"]),
        card("card/info", "Card details (masked PAN, status, expiry)", ids: ["card_id"]),
        card("card/balance", "Card balance: posted, held, available", ids: ["card_id"]),
        card("card/secret", "PAN/CVV sealed with the partner's key", ids: ["card_id"]),
        card("card/secret_v2", "PAN/CVV sealed for the caller's RSA public key", ids: ["card_id"]),
        card("card/activate", "Activate a card", ids: ["card_id"]),
        card("card/block", "Block a card", ids: ["card_id"]),
        card("card/unblock", "Unblock a card", ids: ["card_id"]),
        card("card/close", "Close a card", ids: ["card_id"]),
        card("card/set_pin", "Set the PIN (sealed with the partner's key)", ids: ["card_id"]),
        card("card/reset_counter_pin", "Reset the wrong-PIN counter", ids: ["card_id"]),
        card("card/statement", "Card statement for a period", ids: ["card_id"]),
        card("card/statement_extended", "Card statement with holds and running balances", ids: ["card_id"]),
        card("limits/set", "Set spending limits on a card or client", ids: ["object.value"]),
        card("limits/list", "List spending limits of a card or client", ids: ["object.value"]),
        card("transaction/create", "Debit or credit a card (authorisation, hold)", ids: ["card_id"]),
        card("transaction/clearing", "Clear (capture) an authorised transaction", ids: ["transaction_id"]),
        card("transaction/refund", "Refund a cleared transaction", ids: ["transaction_id"]),
        card("transaction/cancel", "Cancel an authorised transaction", ids: ["transaction_id"]),
        card("transaction/info", "Details of a transaction", ids: ["transaction_id"]),
    ]

    static let giftCards: [APIRoute] = [
        gift("product_list", "Gift card products of the partner"),
        gift("issue_card", "Issue a gift card and send a confirmation code"),
        gift("activate_card", "Confirm (activate) a gift card with its code", ids: ["card_id"]),
        gift("resend_code", "Send a new confirmation code", ids: ["card_id"]),
        gift("resend", "Resend the card's details to its holder", ids: ["card_id"]),
        gift("card_status", "State and balance of a gift card", ids: ["card_id"]),
    ]

    static let sandbox: [APIRoute] = [
        APIRoute(.sandbox, "/v5/card-api/sandbox/fund", "Sandbox: top up the partner's settlement account"),
        APIRoute(.sandbox, "/v5/card-api/sandbox/sms", "Sandbox: read the partner's SMS outbox"),
        APIRoute(.sandbox, "/v5/card-api/sandbox/clock", "Sandbox: read or advance the sandbox clock"),
        APIRoute(.sandbox, "/v5/card-api/sandbox/reset", "Sandbox: wipe all business data, keep partners and merchants (confirm: \"reset\")"),
        APIRoute(.sandbox, "/v5/card-api/sandbox/inject", "Sandbox: add, list or clear failure-injection rules"),
    ]

    /// Purchase routes answer POST and GET under both spellings (`init_payment.php` and `init_payment`).
    static let merchantAPI: [APIRoute] = [
        ("init_payment", "Create a payment and get the hosted page URL", [String]()),
        ("get_status3", "State of a payment by pg_payment_id or pg_order_id", ["pg_payment_id", "pg_order_id"]),
        ("do_capture", "Capture (clear) an authorised payment", ["pg_payment_id"]),
        ("cancel", "Cancel an authorised payment", ["pg_payment_id"]),
        ("revoke", "Refund a captured payment", ["pg_payment_id"]),
    ].flatMap { name, summary, ids in
        ["/\(name).php", "/\(name)"].flatMap { path in
            ["POST", "GET"].map { APIRoute(.merchantAPI, path, summary, ids: ids, method: $0) }
        }
    } + [
        APIRoute(.merchantAPI, "/make_recurring_payment.php", "Charge a recurring profile", ids: ["pg_recurring_profile"]),
        APIRoute(.merchantAPI, "/make_recurring_payment", "Charge a recurring profile", ids: ["pg_recurring_profile"]),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/cardstorage/add", "Start saving a buyer's card"),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/cardstorage/list", "Saved cards of a buyer"),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/cardstorage/remove", "Remove a saved card", ids: ["pg_card_id"]),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/card/init", "Create a payment with a saved card", ids: ["pg_card_id"]),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/card/pay", "Pay a payment created with a saved card", ids: ["pg_payment_id"]),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/card/direct", "Pay with a saved card without the page", ids: ["pg_payment_id"]),
    ] + payouts

    /// Payout routes (payout secret).
    static let payouts: [APIRoute] = [
        APIRoute(.merchantAPI, "/api/reg2reg", "Pay out to a saved payout card"),
        APIRoute(.merchantAPI, "/api/reg2nonreg", "Pay out to a card the recipient enters"),
        APIRoute(.merchantAPI, "/api/to_iban", "Pay out to a bank account (IBAN)"),
        APIRoute(.merchantAPI, "/api/balance_status", "Payout balance"),
        APIRoute(.merchantAPI, "/api/payment_status", "Payout state by pg_payment_id", ids: ["pg_payment_id"]),
        APIRoute(.merchantAPI, "/api/payment_status2", "Payout state by pg_order_id"),
        APIRoute(.merchantAPI, "/get_status2.php", "Payout state by pg_order_id (deprecated)"),
        APIRoute(.merchantAPI, "/api/sandbox/fund", "Sandbox: top up the merchant's payout balance (9994 outside sandbox mode)"),
        APIRoute(.merchantAPI, "/sandbox/callbacks/listen", "Sandbox: long-poll the next callback for `freedompay listen` (9994 outside sandbox mode)"),
        APIRoute(.merchantAPI, "/sandbox/callbacks/reply", "Sandbox: the listener's forward target's reply to a relayed callback (9994 outside sandbox mode)"),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/cardstoragepayout/add", "Start saving a payout card"),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/cardstoragepayout/add2", "Start saving a payout card (add2 spelling)"),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/cardstoragepayout/list", "Saved payout cards of a user"),
        APIRoute(.merchantAPI, "/v1/merchant/{merchant_id}/cardstoragepayout/remove", "Remove a saved payout card"),
    ]

    static let pages: [APIRoute] = [
        APIRoute(.page, "/pay/{token}", "Hosted payment page", method: "GET"),
        APIRoute(.page, "/pay/{token}", "Hosted payment page: card form submitted"),
        APIRoute(.page, "/pay/{token}/3ds", "Sandbox 3-D Secure page", method: "GET"),
        APIRoute(.page, "/pay/{token}/3ds", "Sandbox 3-D Secure page: answer submitted"),
        APIRoute(.page, "/pay/{token}/cvc", "Saved-card payment: CVC submitted"),
        APIRoute(.page, "/v1/merchant/{merchant_id}/cardstorage/view", "Card storage form", method: "GET"),
        APIRoute(.page, "/v1/merchant/{merchant_id}/cardstorage/view", "Card storage form submitted"),
        APIRoute(.page, "/v1/merchant/{merchant_id}/cardstoragepayout/view", "Payout card form", method: "GET"),
        APIRoute(.page, "/v1/merchant/{merchant_id}/cardstoragepayout/view", "Payout card form submitted"),
        APIRoute(.page, "/payout/{token}", "Payout page: the recipient enters the card", method: "GET"),
        APIRoute(.page, "/payout/{token}", "Payout page: card submitted"),
    ]

    static let partnerAPI: [APIRoute] = [
        partner("rates/add", "Publish exchange rates"),
        partner("rates/get", "Rate in force for a currency pair"),
        partner("rates/list", "Rates published in a period"),
        partner("dictionaries", "Partner API reference dictionaries"),
        partner("client/add", "Register a legal-entity client"),
        partner("client/user/add", "Add a user to a client", ids: ["client_id"]),
        partner("client/product/add", "Open a product for a client", ids: ["client_id"]),
        partner("client/user/grant", "Grant a user rights on a client's product", ids: ["client_id"]),
        partner("client/user/send_auth", "Send a user their authentication data", ids: ["client_id"]),
        partner("request/status", "State of an earlier request", ids: ["request_id"]),
        partner("client/request/status", "State of an earlier client request", ids: ["request_id"]),
        partner("wallet/add", "Open an E-Money wallet"),
        partner("wallet/identification", "Identify a wallet's owner", ids: ["identifier"]),
        partner("wallet/info", "Wallet details", ids: ["identifier"]),
        partner("wallet/block", "Block a wallet", ids: ["identifier"]),
        partner("wallet/close", "Close a wallet", ids: ["identifier"]),
        partner("wallet/balance", "Wallet balance", ids: ["identifier"]),
        partner("wallet/statement", "Wallet statement for a period", ids: ["identifier"]),
        partner("wallet/request/status", "State of an earlier wallet request", ids: ["request_id"]),
        partner("wallet/topup", "Top up a wallet", ids: ["identifier"]),
        partner("wallet/withdraw", "Withdraw from a wallet", ids: ["identifier"]),
        partner("wallet/transfer", "Transfer between two wallets", ids: ["identifier"]),
    ]

    private static func card(_ path: String, _ summary: String, ids: [String] = []) -> APIRoute {
        APIRoute(.cardAPI, "/v5/card-api/" + path, summary, ids: ids)
    }

    private static func gift(_ path: String, _ summary: String, ids: [String] = []) -> APIRoute {
        APIRoute(.giftCards, "/v5/cards/" + path, summary, ids: ids)
    }

    private static func partner(_ path: String, _ summary: String, ids: [String] = []) -> APIRoute {
        APIRoute(.partnerAPI, "/v5/partner/" + path, summary, ids: ids)
    }
}
