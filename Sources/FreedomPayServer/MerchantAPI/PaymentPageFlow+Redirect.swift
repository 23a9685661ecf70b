import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

extension PaymentPageFlow {
    /// Redirect back (§3.23): the buyer goes to the success or failure URL with signed `pg_order_id`,
    /// `pg_payment_id` (and the error on failure), by GET (303) or POST (self-submitting form).
    /// Without such a URL the page shows the outcome itself.
    func finish(_ payment: PurchasePayment) async throws -> Response {
        let success = payment.status == .authorized || payment.status == .captured
        let urlField = success ? "pg_success_url" : "pg_failure_url"
        let method = payment.option(urlField + "_method").flatMap(PGRedirectMethod.init(rawValue:)) ?? .get
        guard let url = payment.option(urlField), !url.isEmpty else {
            let title = success ? "Payment successful" : "Payment failed"
            let message = success
                ? "Your payment of \(PGAmount.render(payment.amountMinor)) \(payment.currency) was accepted."
                : (payment.failureDescription ?? "The payment was not completed.")
            return PaymentPageHTML.response(PaymentPageHTML.result(title: title, message: message, link: payment.option("pg_site_url")))
        }
        let signed = CallbackSender.signed(
            PurchaseCallbacks.redirectParameters(payment), url: url, secret: try await merchant(payment).paymentSecret)
        if method.usesPost {
            return PaymentPageHTML.response(PaymentPageHTML.postRedirect(url: url, parameters: signed))
        }
        return redirect(to: url + (url.contains("?") ? "&" : "?") + PGForm.encode(signed))
    }
}
