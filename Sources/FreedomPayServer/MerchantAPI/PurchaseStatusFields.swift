import Foundation
import FreedomPayCore
import FreedomPayWire

/// The fields of a get_status3.php answer (merchant-api.md §3.5).
enum PurchaseStatusFields {
    static func date(_ seconds: Int64) -> String { WireDate.plain(Date(timeIntervalSince1970: TimeInterval(seconds))) }

    static func payment(_ payment: PurchasePayment, operations: [PurchaseOperation]) -> [PGParameter] {
        let machine = payment.machine
        var out: [PGParameter] = [
            PGParameter("pg_payment_id", String(payment.id.rawValue)),
            PGParameter("pg_order_id", payment.orderID ?? ""),
            PGParameter("pg_currency", payment.currency),
            PGParameter("pg_amount", PGAmount.render(payment.amountMinor)),
            PGParameter("pg_can_reject", payment.status == .authorized || payment.status == .captured ? "1" : "0"),
            PGParameter("pg_payment_method", "bankcard"),
            PGParameter("pg_payment_status", payment.status.wire.rawValue),
            PGParameter("pg_clearing_amount", PGAmount.render(machine.clearedMinor)),
            PGParameter("pg_refund_amount", PGAmount.render(-machine.refundedMinor)),
            PGParameter("pg_captured", payment.status == .captured || payment.status == .refunded ? "1" : "0"),
            PGParameter("pg_testing_mode", payment.testingMode ? "1" : "0"),
            PGParameter("pg_create_date", date(payment.createdAt)),
        ]
        out.append("pg_payment_date", payment.paymentAt.map(date))
        out.append("pg_user_phone", payment.option("pg_user_phone"))
        out.append("pg_user_email", payment.option("pg_user_contact_email"))
        if let card = payment.card {
            out.append(PGParameter("pg_card_name", card.owner))
            out.append(PGParameter("pg_card_pan", card.mask))
            out.append(PGParameter("pg_card_exp", card.expiry))
            out.append(PGParameter("pg_card_brand", card.brand))
        }
        out.append("pg_card_token", payment.option("pg_card_token"))
        out.append("pg_recurring_profile_id", payment.recurringProfileID.map(String.init))
        out.append("pg_reference", payment.reference)
        out.append("pg_auth_code", payment.authCode)
        out.append("pg_failure_code", payment.failureCode.map(String.init))
        out.append("pg_failure_description", payment.failureDescription)
        let refunds = operations.filter { $0.kind == .refund }.map { refund in
            PGParameter("pg_refund_payment", .nested([
                PGParameter("pg_payment_id", String(refund.id.rawValue)),
                PGParameter("pg_payment_status", "success"),
                PGParameter("pg_amount", PGAmount.render(-refund.amountMinor)),
                PGParameter("pg_payment_date", date(refund.createdAt)),
            ]))
        }
        if !refunds.isEmpty { out.append(PGParameter("pg_refund_payments", .nested(refunds))) }
        let revoked = operations.filter { $0.kind == .cancel || $0.kind == .reversal }.map { revoke in
            PGParameter("pg_revoked_payment", .nested([
                PGParameter("pg_payment_id", String(revoke.id.rawValue)),
                PGParameter("pg_payment_status", "success"),
            ]))
        }
        if !revoked.isEmpty { out.append(PGParameter("pg_revoked_payments", .nested(revoked))) }
        return out
    }

    /// Status of one operation looked up by its own id [inferred: amounts negative for refunds, like the list].
    static func operation(_ operation: PurchaseOperation, of parent: PurchasePayment) -> [PGParameter] {
        let signed = operation.kind == .clearing ? operation.amountMinor : -operation.amountMinor
        return [
            PGParameter("pg_payment_id", String(operation.id.rawValue)),
            PGParameter("pg_order_id", parent.orderID ?? ""),
            PGParameter("pg_currency", parent.currency),
            PGParameter("pg_amount", PGAmount.render(signed)),
            PGParameter("pg_payment_method", "bankcard"),
            PGParameter("pg_payment_status", "success"),
            PGParameter("pg_create_date", date(operation.createdAt)),
        ]
    }
}
