import Foundation
import FreedomPayWire

/// A validated `init_payment.php` request (merchant-api.md §3.1, §1.6, §2.5). Every rule failure names the
/// field; the code is the legacy "missing or incorrect parameter" (`200`) [inferred].
public struct PaymentDraft: Sendable, Equatable {
    public var orderID: String?
    public var amountMinor: Int64
    public var currency: String
    public var description: String
    public var lifetimeSeconds: Int64
    public var autoClearing: Bool
    public var testingMode: Bool
    public var challenge3DS: Bool
    public var recurringStart: Bool
    public var idempotencyKey: String?
    public var options: [PGParameter]
    public var extraFields: [PGParameter]

    public static let currencies: Set<String> = ["KZT", "USD", "EUR", "KGS", "UZS", "RUB"]
    public static let languages: Set<String> = ["ru", "en", "kz", "kg", "uz"]
    static let urlFields = ["pg_check_url", "pg_result_url", "pg_success_url", "pg_failure_url", "pg_site_url", "pg_state_url"]
    static let redirectMethodFields = ["pg_success_url_method", "pg_failure_url_method", "pg_state_url_method"]
    static let flagFields = ["pg_testing_mode", "pg_auto_clearing", "pg_recurring_start", "pg_3ds_challenge", "pg_generate_qr",
                             "pg_commission_discount"]
    /// Options kept with the payment and used later (callbacks, redirects, page).
    static let keptOptions = urlFields + redirectMethodFields + [
        "pg_request_method", "pg_language", "pg_user_id", "pg_user_phone", "pg_user_contact_email", "pg_user_ip",
        "pg_timeout_after_payment", "pg_payment_method", "pg_payment_system", "pg_recurring_lifetime",
    ]

    /// Validates the verified request parameters. `sandbox` decides the default of `pg_testing_mode`.
    public static func validate(_ parameters: [PGParameter], sandbox: Bool) throws(PurchaseRuleViolation) -> PaymentDraft {
        let rules = FieldRules(parameters)
        let amount = try rules.amount("pg_amount", required: true)!
        let description = try rules.text("pg_description", required: true, maxLength: 1024)!
        let orderID = try rules.text("pg_order_id", maxLength: 50)
        let currency = try rules.oneOf("pg_currency", currencies) ?? "KZT"
        let lifetime = try rules.integer("pg_lifetime", in: 300...604_800) ?? 86_400
        _ = try rules.oneOf("pg_language", languages)
        for flag in flagFields { _ = try rules.flag(flag) }
        _ = try rules.integer("pg_recurring_lifetime", in: 1...156)
        _ = try rules.integer("pg_timeout_after_payment", in: 1...86_400)
        _ = try rules.pattern("pg_user_id", maxLength: 50, allowed: { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") },
                              rule: "1..50 characters of a-z A-Z 0-9 _ -")
        _ = try rules.pattern("pg_user_phone", maxLength: 15, allowed: { $0.isASCII && $0.isNumber }, rule: "digits with the country code",
                              minLength: 10)
        _ = try rules.email("pg_user_contact_email")
        _ = try rules.ipv4("pg_user_ip")
        _ = try rules.oneOf("pg_request_method", Set(PGRequestMethod.allCases.map(\.rawValue)))
        for field in redirectMethodFields { _ = try rules.oneOf(field, Set(PGRedirectMethod.allCases.map(\.rawValue))) }
        for field in urlFields { _ = try rules.url(field) }
        for index in 1...3 { _ = try rules.text("pg_param\(index)", maxLength: 255, allowEmpty: true) }
        let idempotencyKey = try rules.text("pg_idempotency_key", maxLength: 255)
        try rules.receiptPositions()
        let echoed = parameters.filter { !$0.name.hasPrefix("pg_") || ["pg_param1", "pg_param2", "pg_param3"].contains($0.name) }
        return PaymentDraft(
            orderID: orderID, amountMinor: amount, currency: currency, description: description, lifetimeSeconds: Int64(lifetime),
            autoClearing: rules.value("pg_auto_clearing").map { $0 == "1" } ?? true,
            testingMode: rules.value("pg_testing_mode").map { $0 == "1" } ?? sandbox,
            challenge3DS: rules.value("pg_3ds_challenge") == "1",
            recurringStart: rules.value("pg_recurring_start") == "1", idempotencyKey: idempotencyKey,
            options: parameters.filter { keptOptions.contains($0.name) }, extraFields: echoed.filter { $0.name != "pg_sig" })
    }
}
