import FreedomPayCore
import FreedomPayWire

/// Merchant API bodies: requests are `application/x-www-form-urlencoded` pg_* fields (every value a string on the
/// wire; the same fields in the query string for GET, or in one `pg_xml` document), answers are a signed XML
/// `<response>` whose child elements are the pg_* fields. The fields are the ones the handlers read and write
/// (`PaymentDraft`, `PayoutDraft`, `FieldRules` calls, `PGParameter` lists); `OpenAPIBodySchemaTests` drives purchase,
/// card-storage and payout routes and checks their XML answers against the schemas below.
extension OpenAPIBodies {
    /// A form field: its pattern or enum, and whether the handler requires it.
    typealias Field = (name: String, schema: [String: Any], required: Bool)

    static var amount: [String: Any] { ["type": "string", "pattern": #"^[0-9]+(\.[0-9]{1,2})?$"#, "description": "decimal amount, e.g. 1500 or 10.5"] }
    static var flag: [String: Any] { ["type": "string", "enum": ["0", "1"]] }
    static var digits: [String: Any] { ["type": "string", "pattern": "^[0-9]+$"] }

    static func field(_ name: String, _ schema: [String: Any] = string, required: Bool = false) -> Field { (name, schema, required) }

    /// The signing fields every request carries (`pg_merchant_id` may come from the `{merchant_id}` path instead).
    static func form(_ fields: [Field], pathMerchant: Bool) -> [String: Any] {
        var properties: [String: [String: Any]] = [
            "pg_merchant_id": digits,
            "pg_salt": ["type": "string", "description": "random string, signed like every other field"],
            "pg_sig": ["type": "string", "pattern": "^[0-9a-fA-F]{32}$", "description": "see the MerchantPGSig security scheme"],
        ]
        var required = ["pg_sig"] + (pathMerchant ? [] : ["pg_merchant_id"])
        for field in fields {
            properties[field.name] = field.schema
            if field.required { required.append(field.name) }
        }
        return ["type": "object", "properties": properties, "required": required]
    }

    /// A signed `<response>`: `pg_status=ok`, the answer's fields, then `pg_salt` and `pg_sig`.
    static func xmlAnswer(_ fields: [Field], status: [String: Any]? = ["const": "ok"]) -> [String: Any] {
        var properties: [String: [String: Any]] = ["pg_salt": string, "pg_sig": string]
        var required = ["pg_salt", "pg_sig"]
        if let status {
            properties["pg_status"] = status
            required.insert("pg_status", at: 0)
        }
        for field in fields {
            properties[field.name] = field.schema
            if field.required { required.append(field.name) }
        }
        return ["type": "object", "xml": ["name": "response"], "properties": properties, "required": required, "additionalProperties": false]
    }

    static func merchantBody(_ request: [Field], _ answer: [String: Any], pathMerchant: Bool = false) -> OpenAPIBody {
        OpenAPIBody(request: form(request, pathMerchant: pathMerchant), response: answer, requestType: "application/x-www-form-urlencoded",
                    responseType: answer["xml"] == nil ? "text/html" : "application/xml")
    }

    static func merchant(_ route: APIRoute) -> OpenAPIBody? {
        let path = route.path
        if path.hasPrefix("/v1/merchant/") {
            let name = path.split(separator: "/").suffix(2).joined(separator: "/")
            return cardStorage[name].map { merchantBody($0.request, $0.answer, pathMerchant: true) }
        }
        let script = String(PGSignature.scriptName(of: path).split(separator: ".").first ?? "")
        let key = path.hasPrefix("/api/") ? "api/" + script : script
        return merchantRoutes[key].map { merchantBody($0.request, $0.answer) }
    }

    // MARK: Fields

    /// `PaymentDraft.validate`: the init_payment fields (also read by card/init and make_recurring_payment).
    static var paymentFields: [Field] {
        let redirect: [String: Any] = ["type": "string", "enum": PGRedirectMethod.allCases.map(\.rawValue)]
        let url: [String: Any] = ["type": "string", "format": "uri"]
        return [
            field("pg_amount", amount, required: true), field("pg_description", ["type": "string", "maxLength": 1024], required: true),
            field("pg_order_id", ["type": "string", "maxLength": 50]),
            field("pg_currency", ["type": "string", "enum": PaymentDraft.currencies.sorted()]),
            field("pg_lifetime", ["type": "string", "pattern": "^[0-9]+$", "description": "seconds, 300..604800"]),
            field("pg_language", ["type": "string", "enum": PaymentDraft.languages.sorted()]),
            field("pg_recurring_lifetime", ["type": "string", "pattern": "^[0-9]+$", "description": "months, 1..156"]),
            field("pg_timeout_after_payment", ["type": "string", "pattern": "^[0-9]+$", "description": "seconds, 1..86400"]),
            field("pg_user_id", ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,50}$"]),
            field("pg_user_phone", ["type": "string", "pattern": "^[0-9]{10,15}$"]),
            field("pg_user_contact_email", ["type": "string", "format": "email"]),
            field("pg_user_ip", ["type": "string", "format": "ipv4"]),
            field("pg_request_method", ["type": "string", "enum": PGRequestMethod.allCases.map(\.rawValue)]),
            field("pg_idempotency_key", ["type": "string", "maxLength": 255]),
        ]
            + ["pg_testing_mode", "pg_auto_clearing", "pg_recurring_start", "pg_3ds_challenge", "pg_generate_qr", "pg_commission_discount"]
            .map { field($0, flag) }
            + ["pg_success_url_method", "pg_failure_url_method", "pg_state_url_method"].map { field($0, redirect) }
            + ["pg_check_url", "pg_result_url", "pg_success_url", "pg_failure_url", "pg_site_url", "pg_state_url"].map { field($0, url) }
            + (1...3).map { field("pg_param\($0)", ["type": "string", "maxLength": 255]) }
    }

    static func answerFields(_ names: [String], optional: [String] = []) -> [Field] {
        names.map { field($0, string, required: true) } + optional.map { field($0, string) }
    }

    /// get_status3.php: a payment, or one of its operations looked up by its own id (fewer fields).
    static var paymentStatusAnswer: [String: Any] {
        let listed: (String, [Field]) -> [String: Any] = { element, fields in
            ["type": "array", "xml": ["wrapped": true],
             "items": ["type": "object", "xml": ["name": element], "properties": Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.schema) })]]
        }
        let entry = answerFields(["pg_payment_id", "pg_payment_status"], optional: ["pg_amount", "pg_payment_date"])
        return xmlAnswer(
            answerFields(["pg_payment_id", "pg_order_id", "pg_currency", "pg_amount", "pg_payment_method", "pg_payment_status", "pg_create_date"],
                         optional: ["pg_can_reject", "pg_clearing_amount", "pg_refund_amount", "pg_captured", "pg_testing_mode", "pg_payment_date",
                                    "pg_user_phone", "pg_user_email", "pg_card_name", "pg_card_pan", "pg_card_exp", "pg_card_brand", "pg_card_token",
                                    "pg_recurring_profile_id", "pg_reference", "pg_auth_code", "pg_failure_code", "pg_failure_description"])
                + [field("pg_refund_payments", listed("pg_refund_payment", entry)), field("pg_revoked_payments", listed("pg_revoked_payment", entry))])
    }

    static let payoutAnswerNames = ["pg_payment_id", "pg_merchant_id", "pg_order_id", "pg_balance"]
    static let payoutResultNames = ["pg_payment_amount", "pg_to_pay", "pg_payment_status", "pg_payment_date", "pg_error_code", "pg_error_description"]
    static let payoutStatusNames = ["pg_payment_id", "pg_merchant_id", "pg_order_id", "pg_amount", "pg_to_pay", "pg_card_hash", "pg_payment_status"]

    static var merchantRoutes: [String: (request: [Field], answer: [String: Any])] {
        let id = field("pg_payment_id", digits, required: true)
        let redirect = xmlAnswer(answerFields(["pg_payment_id", "pg_redirect_url", "pg_redirect_url_type"]))
        let payoutStatus = xmlAnswer(answerFields(payoutStatusNames, optional: ["pg_error_code", "pg_error_description"]))
        let balance = xmlAnswer(answerFields(["pg_balance", "pg_currency"]))
        let payout = [field("pg_order_id", ["type": "string", "maxLength": 50], required: true), field("pg_amount", amount, required: true),
                      field("pg_description", ["type": "string", "maxLength": 1024], required: true),
                      field("pg_post_link", ["type": "string", "format": "uri"], required: true),
                      field("pg_user_id", ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,50}$"]), field("pg_order_time_limit")]
        return [
            "init_payment": (paymentFields, redirect),
            "get_status3": ([field("pg_payment_id", digits), field("pg_order_id")], paymentStatusAnswer),
            "do_capture": ([id, field("pg_clearing_amount", amount)],
                           xmlAnswer(answerFields(["pg_payment_id", "pg_amount", "pg_clearing_amount", "pg_clearing_status"]))),
            "cancel": ([id], xmlAnswer(answerFields(["pg_payment_id", "pg_payment_revoke_id", "pg_revoke_status"]))),
            "revoke": ([id, field("pg_refund_amount", amount)], xmlAnswer(answerFields(["pg_payment_id", "pg_payment_refund_id", "pg_refund_status"]))),
            "make_recurring_payment": ([field("pg_recurring_profile", digits, required: true)] + paymentFields, xmlAnswer(answerFields(
                ["pg_payment_id", "pg_amount", "pg_currency", "pg_recurring_profile", "pg_recurring_profile_expiry_date"]))),
            "api/reg2reg": (payout + [field("pg_card_token_to", ["type": "string", "maxLength": 255], required: true)],
                            xmlAnswer(answerFields(payoutAnswerNames + ["pg_card_hash", "pg_card_token"] + payoutResultNames))),
            "api/reg2nonreg": (payout.filter { $0.name != "pg_description" } + [
                field("pg_description", ["type": "string", "maxLength": 255], required: true),
                field("pg_back_link", ["type": "string", "format": "uri"], required: true),
                field("pg_payment_route", ["type": "string", "enum": ["frame"]]), field("pg_user_email", ["type": "string", "format": "email"]),
            ], redirect),
            "api/to_iban": (payout + [field("pg_recipient_iban", required: true), field("pg_recipient_name", ["type": "string", "maxLength": 255], required: true),
                                      field("pg_bank_bik", ["type": "string", "pattern": "^[A-Za-z0-9]{1,11}$"])],
                            xmlAnswer(answerFields(payoutAnswerNames + payoutResultNames))),
            "api/balance_status": ([field("pg_currency")], balance),
            "api/payment_status": ([id, field("pg_order_id")], payoutStatus),
            "api/payment_status2": ([field("pg_order_id", required: true), field("pg_payment_id", digits)], payoutStatus),
            "get_status2": ([field("pg_order_id", required: true), field("pg_payment_id", digits)], xmlAnswer(answerFields(
                ["pg_payment_id", "pg_transaction_status", "pg_can_reject", "pg_testing_mode", "pg_captured", "pg_create_date"]))),
            "api/fund": ([field("pg_amount", amount, required: true), field("pg_currency")], balance),
            // Sandbox callback listener (`freedompay listen`): an empty answer when no callback came within pg_wait_ms.
            "listen": ([field("pg_forward_url", ["type": "string", "format": "uri"], required: true),
                        field("pg_wait_ms", ["type": "string", "pattern": "^[0-9]+$", "description": "0..25000"])],
                       xmlAnswer(answerFields([], optional: ["pg_delivery_id", "pg_forward_url", "pg_original_url", "pg_method",
                                                             "pg_secret_kind", "pg_payload"]))),
            "reply": ([field("pg_delivery_id", required: true), field("pg_http_status", ["type": "string", "pattern": "^[0-9]{3}$"]),
                       field("pg_body_base64"), field("pg_error")],
                      xmlAnswer([field("pg_outcome", ["type": "string", "enum": ["ok", "rejected", "failed"]], required: true), field("pg_reason")])),
        ]
    }

    /// `/v1/merchant/{merchant_id}/...` routes, keyed by their last two path segments.
    static var cardStorage: [String: (request: [Field], answer: [String: Any])] {
        let user = field("pg_user_id", ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,50}$"], required: true)
        let url: [String: Any] = ["type": "string", "format": "uri"]
        let add = ([user, field("pg_post_link", url, required: true), field("pg_back_link", url, required: true), field("pg_order_id")],
                   xmlAnswer(answerFields(["pg_payment_id", "pg_merchant_id", "pg_order_id", "pg_redirect_url", "pg_type"])))
        let card: [String: Any] = [
            "type": "object", "xml": ["name": "card"],
            "properties": Dictionary(uniqueKeysWithValues: (answerFields(
                ["pg_status", "pg_merchant_id", "pg_card_id", "pg_card_token", "pg_card_hash", "pg_card_hhash", "pg_recurring_profile_id", "created_at"],
                optional: ["bank_alias", "brand_alias", "expiry_year", "expiry_month"])).map { ($0.name, $0.schema) }),
        ]
        let list = ([user, field("pg_extend_data", flag)],
                    xmlAnswer([field("card", ["type": "array", "items": card])], status: nil))
        let remove = ([user, field("pg_card_token"), field("pg_card_id", digits)],
                      xmlAnswer([field("deleted_at", string, required: true)], status: ["const": "success"]))
        let reference = [user, field("pg_card_token"), field("pg_card_id", digits)]
        return [
            "cardstorage/add": add, "cardstoragepayout/add": add, "cardstoragepayout/add2": add,
            "cardstorage/list": list, "cardstoragepayout/list": list,
            "cardstorage/remove": remove, "cardstoragepayout/remove": remove,
            "card/init": (reference + paymentFields.map { $0.name == "pg_order_id" ? field("pg_order_id", $0.schema, required: true) : $0 },
                          xmlAnswer(answerFields(["pg_payment_id", "pg_merchant_id", "pg_order_id"]))),
            "card/pay": ([field("pg_payment_id", digits, required: true)], ["type": "string", "description": "HTML page asking for the CVC"]),
            "card/direct": ([field("pg_payment_id", digits, required: true)], xmlAnswer(answerFields(
                ["pg_payment_id", "pg_payment_status", "pg_amount", "pg_currency"], optional: ["pg_failure_code", "pg_failure_description"]))),
        ]
    }
}
