import Foundation
import FreedomPayWire

/// The fields of the callbacks and redirects a purchase sends (merchant-api.md §3.21–§3.23).
public enum PurchaseCallbacks {
    /// Result notify without `pg_can_reject`, `pg_salt`, `pg_sig` (added per attempt).
    /// No commission is charged in the sandbox, so net and payment-system amounts equal the amount [inferred].
    public static func resultParameters(_ payment: PurchasePayment) -> [PGParameter] {
        let success = payment.status == .authorized || payment.status == .captured
        let amount = PGAmount.render(payment.amountMinor)
        var out: [PGParameter] = [
            PGParameter("pg_order_id", payment.orderID ?? ""),
            PGParameter("pg_payment_id", String(payment.id.rawValue)),
            PGParameter("pg_amount", amount),
            PGParameter("pg_currency", payment.currency),
            PGParameter("pg_net_amount", amount),
            PGParameter("pg_ps_amount", amount),
            PGParameter("pg_ps_full_amount", amount),
            PGParameter("pg_ps_currency", payment.currency),
            PGParameter("pg_description", payment.description),
            PGParameter("pg_result", success ? "1" : "0"),
            PGParameter("pg_payment_date", WireDate.plain(Date(timeIntervalSince1970: TimeInterval(payment.paymentAt ?? payment.createdAt)))),
            PGParameter("pg_testing_mode", payment.testingMode ? "1" : "0"),
            PGParameter("pg_captured", payment.status == .captured ? "1" : "0"),
            PGParameter("pg_payment_method", "bankcard"),
        ]
        out.append("pg_user_phone", payment.option("pg_user_phone"))
        out.append("pg_user_contact_email", payment.option("pg_user_contact_email"))
        if let card = payment.card {
            out.append(PGParameter("pg_card_pan", card.mask))
            out.append(PGParameter("pg_card_exp", card.expiry))
            out.append(PGParameter("pg_card_owner", card.owner))
            out.append(PGParameter("pg_card_brand", card.brand))
        }
        out.append("pg_card_token", payment.option("pg_card_token"))
        out.append("pg_recurring_profile_id", payment.recurringProfileID.map(String.init))
        if !success {
            out.append("pg_failure_code", payment.failureCode.map(String.init))
            out.append("pg_failure_description", payment.failureDescription)
        }
        return out + payment.extraFields
    }

    /// Check request (§3.22), unsigned.
    public static func checkParameters(_ payment: PurchasePayment) -> [PGParameter] {
        let amount = PGAmount.render(payment.amountMinor)
        return [
            PGParameter("pg_order_id", payment.orderID ?? ""),
            PGParameter("pg_payment_id", String(payment.id.rawValue)),
            PGParameter("pg_amount", amount),
            PGParameter("pg_currency", payment.currency),
            PGParameter("pg_ps_amount", amount),
            PGParameter("pg_ps_currency", payment.currency),
            PGParameter("pg_ps_full_amount", amount),
        ] + payment.extraFields
    }

    /// Redirect back (§3.23), unsigned; failures carry the error code and description.
    public static func redirectParameters(_ payment: PurchasePayment) -> [PGParameter] {
        var out: [PGParameter] = [
            PGParameter("pg_order_id", payment.orderID ?? ""),
            PGParameter("pg_payment_id", String(payment.id.rawValue)),
        ]
        if payment.status != .authorized, payment.status != .captured {
            out.append(PGParameter("pg_error_code", String(payment.failureCode ?? PGErrorCode.systemError.rawValue)))
            out.append(PGParameter("pg_error_description", payment.failureDescription ?? "Payment failed"))
        }
        return out + payment.extraFields
    }
}
