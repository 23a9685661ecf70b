import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Payments with a saved card (merchant-api.md §3.10–§3.12, §4.2): `card/init` creates the payment,
/// `card/pay` answers an HTML CVC form (then the hosted flow), `card/direct` charges without the buyer.
struct CardTokenPayments: Sendable {
    let services: AppServices

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("v1/merchant/:merchant_id/card/init", use: initPayment)
        group.post("v1/merchant/:merchant_id/card/pay", use: pay)
        group.post("v1/merchant/:merchant_id/card/direct", use: direct)
    }

    var flow: PaymentPageFlow { PaymentPageFlow(services: services) }

    @Sendable func initPayment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            try CardStorageEndpoints.checkPath(context, call)
            guard call.parameters.value("pg_order_id").map({ !$0.isEmpty }) == true else {
                throw PurchaseRuleViolation(.invalidParameter, "pg_order_id is required")
            }
            let user = try CardStorageEndpoints.userID(call)
            guard let reference = call.parameters.value("pg_card_token") ?? call.parameters.value("pg_card_id"), !reference.isEmpty else {
                throw PurchaseRuleViolation(.invalidParameter, "pg_card_token is required")
            }
            let draft = try PaymentDraft.validate(call.parameters, sandbox: services.configuration.sandbox)
            let hash = PurchaseService.requestHash(call.parameters)
            let merchant = call.merchant.id
            let now = services.clock.now()
            let payment = try await services.store.write { db in
                guard let token = try await CardTokenRepository().token(reference, merchant: merchant, userID: user, in: db),
                      token.status == .success, let card = token.card else {
                    throw MerchantAPIFailure(1999, "Card token not found for this pg_user_id")
                }
                var payment = try await services.purchases.create(draft, merchant: merchant, requestHash: hash, now: now, in: db)
                if payment.card == nil {
                    payment.card = card
                    payment.options.append(PGParameter("pg_card_token", token.token))
                    try await services.purchases.repository.update(payment, in: db)
                }
                return payment
            }
            return call.answer([
                PGParameter("pg_payment_id", String(payment.id.rawValue)),
                PGParameter("pg_merchant_id", String(merchant.rawValue)),
                PGParameter("pg_order_id", payment.orderID ?? ""),
            ])
        }
    }

    /// The merchant's created token payment, or a signed not-found.
    func tokenPayment(_ call: MerchantCall, _ context: AppRequestContext) async throws -> PurchasePayment {
        try CardStorageEndpoints.checkPath(context, call)
        let id = try call.paymentID()
        let now = services.clock.now()
        let merchant = call.merchant.id
        guard let payment = try await services.store.write({ db in try await services.purchases.load(id, merchant: merchant, now: now, in: db) }),
              payment.option("pg_card_token") != nil else { throw MerchantCall.notFound() }
        return payment
    }

    /// `card/pay`: an HTML page asking the buyer for the CVC of the saved card.
    @Sendable func pay(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            let payment = try await tokenPayment(call, context)
            guard payment.status == .created else { return try await flow.finish(payment) }
            return PaymentPageHTML.response(PaymentPageHTML.cvcForm(payment, merchantName: call.merchant.name))
        }
    }

    /// `card/direct`: authorises at once without CVC; answers the outcome as XML, then the Result notify follows.
    @Sendable func direct(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            let payment = try await tokenPayment(call, context)
            guard payment.status == .created else {
                throw PurchaseRuleViolation(.repeatedOperation, "The payment has already been processed")
            }
            let token = payment.pageToken
            let done = try await services.store.write { db -> PurchasePayment? in
                guard var payment = try await services.purchases.repository.payment(pageToken: token, in: db), payment.status == .created else { return nil }
                try payment.machine.submitCard()
                try await flow.authorizeOrDecline(&payment, db)
                return payment
            }
            guard let done else { throw PurchaseRuleViolation(.repeatedOperation, "The payment has already been processed") }
            var fields = [
                PGParameter("pg_payment_id", String(done.id.rawValue)),
                PGParameter("pg_payment_status", done.status.wire.rawValue),
                PGParameter("pg_amount", PGAmount.render(done.amountMinor)),
                PGParameter("pg_currency", done.currency),
            ]
            fields.append("pg_failure_code", done.failureCode.map(String.init))
            fields.append("pg_failure_description", done.failureDescription)
            return call.answer(fields)
        }
    }
}

/// Buyer-facing forms of saved cards: the CVC step of `card/pay` and the `cardstorage/add` form. No `pg_sig`.
struct CardTokenPages: Sendable {
    let services: AppServices
    var flow: PaymentPageFlow { PaymentPageFlow(services: services) }

    func register(on router: Router<AppRequestContext>) {
        router.post("pay/:token/cvc", use: submitCVC)
        router.get("v1/merchant/:merchant_id/cardstorage/view", use: showAddForm)
        router.post("v1/merchant/:merchant_id/cardstorage/view", use: submitAddForm)
    }

    @Sendable func submitCVC(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await flow.form(&request)
        return try await flow.guarded {
            guard let token = context.parameters.get("token"), let payment = try await flow.load(token), let card = payment.card else {
                return flow.notFound()
            }
            guard payment.status == .created else { return try await flow.finish(payment) }
            let cvv = form.value("cvv") ?? ""
            guard cvv.count == 3, cvv.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return PaymentPageHTML.response(
                    PaymentPageHTML.cvcForm(payment, merchantName: try await flow.merchantName(payment),
                                            problem: "The CVV/CVC code must be the 3 digits on the back of the card"),
                    status: .unprocessableContent)
            }
            return try await flow.process(token: token, card: card)
        }
    }
}
