import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `/api/reg2nonreg` (merchant-api.md §3.16) and the page where the recipient enters the card to be paid.
struct RecipientPayoutEndpoints: Sendable {
    let services: AppServices
    var flow: PaymentPageFlow { PaymentPageFlow(services: services) }

    func register(api group: RouterGroup<AppRequestContext>) {
        group.post("reg2nonreg", use: create)
    }

    func register(pages router: Router<AppRequestContext>) {
        router.get("payout/:token", use: show)
        router.post("payout/:token", use: submit)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await PayoutEndpoints.run(call, services) {
            let now = services.clock.now()
            let draft = try RecipientPayoutDraft.validate(call.parameters, now: now)
            let payouts = services.payouts
            let payout = try await PayoutEndpoints(services: services).create(call) { merchant, hash, db in
                try await payouts.payToRecipient(draft, merchant: merchant, requestHash: hash, now: now, in: db)
            }
            let base = PurchaseEndpoints.publicBaseURL(request, services.configuration)
            return call.answer([
                PGParameter("pg_payment_id", String(payout.id.rawValue)),
                PGParameter("pg_redirect_url", "\(base)/payout/\(payout.pageToken ?? "")"),
                PGParameter("pg_redirect_url_type", "need data"),
            ])
        }
    }

    func page(_ payout: Payout, problems: CardEntry.Problems?, holder: String) async throws -> String {
        let name = try await services.store.read { db in try await services.credentials.merchant(id: payout.merchantID, in: db)?.name } ?? ""
        return PaymentPageHTML.addCardForm(action: "/payout/\(payout.pageToken ?? "")", merchantName: name, problems: problems, holder: holder)
            .replacingOccurrences(of: "A small amount is held and released at once to check the card.",
                                  with: "Payout of \(PGAmount.render(payout.amountMinor)) \(payout.currency.code) to your card.")
    }

    func load(_ context: AppRequestContext) async throws -> Payout? {
        guard let token = context.parameters.get("token") else { return nil }
        return try await services.store.read { db in try await services.payouts.payout(pageToken: token, in: db) }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await flow.guarded {
            guard let payout = try await load(context) else { return flow.notFound() }
            guard payout.machine.state == .created else { return flow.redirect(to: payout.backLink ?? "/") }
            return PaymentPageHTML.response(try await page(payout, problems: nil, holder: ""))
        }
    }

    /// Validates the card (only its mask is kept), pays out and sends the recipient to `pg_back_link`.
    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = try await flow.form(&request)
        return try await flow.guarded {
            guard let payout = try await load(context) else { return flow.notFound() }
            guard payout.machine.state == .created, let token = payout.pageToken else { return flow.redirect(to: payout.backLink ?? "/") }
            let now = services.clock.now()
            switch CardEntry.validate(number: fields.value("card_number") ?? "", expiry: fields.value("expiry") ?? "", cvv: fields.value("cvv") ?? "",
                                      holder: fields.value("holder") ?? "", now: now) {
            case .failure(let problems):
                return PaymentPageHTML.response(try await page(payout, problems: problems, holder: fields.value("holder") ?? ""), status: .unprocessableContent)
            case .success(let entry):
                let mask = entry.stored.mask
                let payouts = services.payouts
                _ = try await services.store.write { db in try await payouts.recipientEnteredCard(pageToken: token, mask: mask, now: now, in: db) }
                return flow.redirect(to: payout.backLink ?? "/")
            }
        }
    }
}
