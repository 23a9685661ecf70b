import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// The steps of the hosted payment: each state change in its own transaction with its Result notify.
struct PaymentPageFlow: Sendable {
    let services: AppServices

    var purchases: PurchaseService { services.purchases }

    /// The page's payment with the time rules applied (an expired page shows the failure).
    func load(_ token: String) async throws -> PurchasePayment? {
        let now = services.clock.now()
        return try await services.store.write { db in
            guard var payment = try await purchases.repository.payment(pageToken: token, in: db) else { return nil }
            try await purchases.applyTimeRules(&payment, now: now, in: db)
            return payment
        }
    }

    func merchantName(_ payment: PurchasePayment) async throws -> String {
        try await merchant(payment).name
    }

    func merchant(_ payment: PurchasePayment) async throws -> Merchant {
        guard let merchant = try await services.store.read({ db in
            try await services.credentials.merchant(id: payment.merchantID, in: db)
        }) else { throw StoreError.failed("merchant of payment \(payment.id.rawValue) is missing") }
        return merchant
    }

    func form(_ request: inout Request) async throws -> [PGParameter] {
        guard let body = try? await request.collectBody(upTo: PaymentPageRoutes.maxFormBytes) else { return [] }
        return PGForm.parse(urlEncoded: String(buffer: body))
    }

    /// Pages never answer a bare 500: unexpected failures render an error page.
    func guarded(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            services.logger.error("payment page failed", metadata: ["error": "\(error)"])
            return PaymentPageHTML.response(
                PaymentPageHTML.result(title: "Payment error", message: "The payment could not be processed. Please try again later.", link: nil),
                status: .serviceUnavailable)
        }
    }

    func notFound() -> Response {
        PaymentPageHTML.response(PaymentPageHTML.result(title: "Payment not found", message: "This payment link is not valid.", link: nil), status: .notFound)
    }

    func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// Card accepted by the form: pending, then the check request, then 3-D Secure or authorisation.
    func process(token: String, card: PaymentCard) async throws -> Response {
        let now = services.clock.now()
        let submitted = try await services.store.write { db -> PurchasePayment? in
            guard var payment = try await purchases.repository.payment(pageToken: token, in: db), payment.status == .created else { return nil }
            try payment.machine.submitCard()
            payment.card = card
            try await purchases.repository.update(payment, in: db)
            return payment
        }
        guard let payment = submitted else { return redirect(to: "/pay/\(token)") }
        if let checkURL = payment.option("pg_check_url"), !checkURL.isEmpty {
            let sender = CallbackSender(timeoutMs: services.configuration.callbackTimeoutMs)
            let reply = await sender.attempt(
                url: checkURL, method: payment.requestMethod, parameters: PurchaseCallbacks.checkParameters(payment),
                secret: try await merchant(payment).paymentSecret)
            if reply.outcome != .ok {
                // Rejected, error or no answer in time: the payment is refused (§3.22).
                let reason = reply.description.map { "The store refused the payment: \($0)" } ?? "The store refused the payment"
                return try await conclude(token: token) { payment, db in
                    try await purchases.decline(&payment, code: .contactMerchant, description: reason, now: now, in: db)
                }
            }
        }
        if card.profile.threeDSecure || payment.challenge3DS { return redirect(to: "/pay/\(token)/3ds") }
        return try await conclude(token: token, authorizeOrDecline)
    }

    /// 3-D Secure code: the right one authorises, three wrong ones decline with 10004.
    func confirmThreeDSecure(token: String, code: String) async throws -> Response {
        let now = services.clock.now()
        if code == TestCards.threeDSecureCode { return try await conclude(token: token, authorizeOrDecline) }
        let outcome = try await services.store.write { db -> (PurchasePayment, Int)? in
            guard var payment = try await purchases.repository.payment(pageToken: token, in: db), payment.status == .pending else { return nil }
            payment.threeDSAttempts += 1
            let left = TestCards.threeDSecureMaxAttempts - payment.threeDSAttempts
            if left <= 0 {
                try await purchases.decline(&payment, code: .threeDSecureFailed, description: "3-D Secure code not entered or incorrect", now: now, in: db)
            } else {
                try await purchases.repository.update(payment, in: db)
            }
            return (payment, left)
        }
        guard let (payment, left) = outcome else { return redirect(to: "/pay/\(token)") }
        guard left > 0 else { return try await finish(payment) }
        let html = PaymentPageHTML.threeDSecure(
            payment, merchantName: try await merchantName(payment), token: token,
            message: "Incorrect code. \(left) attempt\(left == 1 ? "" : "s") left.")
        return PaymentPageHTML.response(html, status: .unprocessableContent)
    }

    /// The issuer's answer for the card's sandbox profile.
    @Sendable func authorizeOrDecline(_ payment: inout PurchasePayment, _ db: any SQLExecutor) async throws {
        let now = services.clock.now()
        if let code = payment.card?.profile.declineCode {
            try await purchases.decline(&payment, code: code, description: Self.description(code), now: now, in: db)
        } else {
            try await purchases.authorize(&payment, now: now, in: db)
        }
    }

    /// Applies a final step to the still-pending payment, then sends the buyer back to the store.
    func conclude(token: String, _ step: @escaping @Sendable (inout PurchasePayment, any SQLExecutor) async throws -> Void) async throws -> Response {
        let concluded = try await services.store.write { db -> PurchasePayment? in
            guard var payment = try await purchases.repository.payment(pageToken: token, in: db) else { return nil }
            if payment.status == .pending { try await step(&payment, db) }
            return payment
        }
        guard let concluded else { return notFound() }
        return try await finish(concluded)
    }

    static func description(_ code: PGErrorCode) -> String {
        switch code {
        case .insufficientFunds: return "Insufficient funds"
        case .wrongCardNumber: return "Wrong or nonexistent card number"
        case .threeDSecureFailed: return "3-D Secure code not entered or incorrect"
        default: return "Payment error: contact the issuing bank"
        }
    }
}
