import FreedomPayWire

/// Row mapping of `purchase_payments`, in the column order of `PurchaseRepository.columns`.
extension PurchaseRepository {
    static func binds(_ payment: PurchasePayment) -> [SQLValue] {
        let card = payment.card
        return [
            .integer(payment.id.rawValue), .integer(payment.merchantID.rawValue), SQLValue(payment.orderID),
            .integer(payment.amountMinor), .text(payment.currency), .text(payment.description), .text(payment.status.rawValue),
            .integer(payment.machine.clearedMinor), .integer(payment.machine.refundedMinor), SQLValue(payment.autoClearing),
            SQLValue(payment.testingMode), SQLValue(payment.challenge3DS), SQLValue(payment.recurringStart),
            .integer(payment.expiresAt), .text(payment.pageToken), .text(PGForm.encode(payment.options)),
            .text(PGForm.encode(payment.extraFields)), SQLValue(payment.idempotencyKey), .text(payment.requestHash),
            SQLValue(card?.mask), SQLValue(card?.brand), SQLValue(card?.expiry), SQLValue(card?.owner), SQLValue(card?.profile.encoded),
            SQLValue(payment.threeDSAttempts), SQLValue(payment.authCode), SQLValue(payment.reference),
            payment.failureCode.map { SQLValue($0) } ?? .null, SQLValue(payment.failureDescription),
            .integer(payment.createdAt), SQLValue(payment.paymentAt), SQLValue(payment.authorizedAt),
            SQLValue(payment.recurringProfileID),
        ]
    }

    static func decode(_ row: SQLRow) throws -> PurchasePayment {
        guard let status = PaymentMachine.Status(rawValue: try row.text("status")) else {
            throw StoreError.decoding("purchase_payments.status is unknown")
        }
        var card: PaymentCard?
        if let mask = row.optionalText("card_mask"), let profile = row.optionalText("card_profile").flatMap(TestCardProfile.init(encoded:)) {
            card = PaymentCard(
                mask: mask, brand: row.optionalText("card_brand") ?? "", expiry: row.optionalText("card_exp") ?? "",
                owner: row.optionalText("card_owner") ?? "", profile: profile)
        }
        return PurchasePayment(
            id: PaymentID(rawValue: try row.int("id")), merchantID: MerchantID(rawValue: try row.int("merchant_id")),
            orderID: row.optionalText("order_id"), currency: try row.text("currency"), description: try row.text("description"),
            machine: PaymentMachine(
                status: status, amountMinor: try row.int("amount_minor"), clearedMinor: try row.int("cleared_minor"),
                refundedMinor: try row.int("refunded_minor")),
            autoClearing: try row.int("auto_clearing") != 0, testingMode: try row.int("testing_mode") != 0,
            challenge3DS: try row.int("challenge_3ds") != 0, recurringStart: try row.int("recurring_start") != 0,
            expiresAt: try row.int("expires_at"), pageToken: try row.text("page_token"),
            options: PGForm.parse(urlEncoded: try row.text("options")),
            extraFields: PGForm.parse(urlEncoded: try row.text("extra_fields")),
            idempotencyKey: row.optionalText("idempotency_key"), requestHash: try row.text("request_hash"), card: card,
            threeDSAttempts: Int(try row.int("three_ds_attempts")), authCode: row.optionalText("auth_code"),
            reference: row.optionalText("reference"), failureCode: row.optionalInt("failure_code").map { Int($0) },
            failureDescription: row.optionalText("failure_description"), createdAt: try row.int("created_at"),
            paymentAt: row.optionalInt("payment_at"), authorizedAt: row.optionalInt("authorized_at"),
            recurringProfileID: row.optionalInt("recurring_profile_id"))
    }
}
