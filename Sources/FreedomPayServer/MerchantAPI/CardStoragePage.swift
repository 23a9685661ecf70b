import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

extension PaymentPageHTML {
    /// CVC step of a saved-card payment (`card/pay`).
    static func cvcForm(_ payment: PurchasePayment, merchantName: String, problem: String? = nil) -> String {
        let warning = problem.map { "<div class=\"summary\" role=\"alert\" id=\"error-cvv\">\(escape($0))</div>" } ?? ""
        return page(title: "Confirm payment", """
            <h1>Confirm payment</h1>
            \(header(payment, merchantName: merchantName))
            <p class="muted">Saved card \(escape(payment.card?.mask ?? ""))</p>
            \(warning)
            <form method="post" action="/pay/\(escape(payment.pageToken))/cvc" autocomplete="off">
            <label for="cvv">CVV/CVC</label>
            <input id="cvv" name="cvv" inputmode="numeric" maxlength="3" type="password" required>
            <button type="submit" id="pay">Pay \(escape(PGAmount.render(payment.amountMinor))) \(escape(payment.currency))</button>
            </form>
            """)
    }

    /// The `cardstorage/add` form: the same fields as the payment page, nothing is charged.
    static func addCardForm(action: String, merchantName: String, problems: CardEntry.Problems?, holder: String) -> String {
        func error(_ field: String) -> String {
            problems?.message(for: field).map { "<div class=\"error\" id=\"error-\(field)\">\(escape($0))</div>" } ?? ""
        }
        return page(title: "Save card", """
            <h1>Save a card for \(escape(merchantName))</h1>
            <p class="muted">A small amount is held and released at once to check the card.</p>
            <form method="post" action="\(escape(action))" autocomplete="off">
            <label for="card_number">Card number</label>
            <input id="card_number" name="card_number" inputmode="numeric" maxlength="23" required>\(error("card_number"))
            <label for="expiry">Expiry (MM/YY)</label>
            <input id="expiry" name="expiry" placeholder="MM/YY" maxlength="7" required>\(error("expiry"))
            <label for="cvv">CVV/CVC</label>
            <input id="cvv" name="cvv" inputmode="numeric" maxlength="3" type="password" required>\(error("cvv"))
            <label for="holder">Cardholder name</label>
            <input id="holder" name="holder" value="\(escape(holder))" required>\(error("holder"))
            <button type="submit" id="save">Save card</button>
            </form>
            """)
    }
}

extension PaymentPageHTML {
    /// 3-D Secure step of saving a card.
    static func addCardThreeDS(action: String, mask: String) -> String {
        page(title: "3-D Secure", """
            <h1>3-D Secure confirmation</h1>
            <p class="muted">Card \(escape(mask)). Enter the one-time code sent by your bank (sandbox: \(TestCards.threeDSecureCode)).</p>
            <form method="post" action="\(escape(action))" autocomplete="off">
            <label for="code">Confirmation code</label>
            <input id="code" name="code" inputmode="numeric" maxlength="6" required>
            <button type="submit" id="confirm">Confirm</button>
            </form>
            """)
    }
}

extension CardTokenPages {
    func pending(_ request: Request) async throws -> CardToken? {
        guard let pageToken = request.uri.queryParameters.get("pg_payment_id") else { return nil }
        return try await services.store.read { db in try await CardTokenRepository().token(pageToken: pageToken, in: db) }
    }

    func merchantName(_ token: CardToken) async throws -> String {
        try await services.store.read { db in try await services.credentials.merchant(id: token.merchantID, in: db)?.name } ?? ""
    }

    @Sendable func showAddForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await flow.guarded {
            guard let token = try await pending(request) else { return flow.notFound() }
            let action = "\(request.uri.path)?pg_payment_id=\(token.pageToken)"
            if token.status == .threeDS {
                return PaymentPageHTML.response(PaymentPageHTML.addCardThreeDS(action: action, mask: token.card?.mask ?? ""))
            }
            guard token.status == .pending else { return flow.redirect(to: token.backLink) }
            return PaymentPageHTML.response(PaymentPageHTML.addCardForm(action: action, merchantName: try await merchantName(token), problems: nil, holder: ""))
        }
    }

    /// Checks the card (sandbox profile), stores only the masked card, notifies `pg_post_link` through the
    /// outbox and sends the buyer to `pg_back_link`.
    @Sendable func submitAddForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await flow.form(&request)
        return try await flow.guarded {
            guard let token = try await pending(request) else { return flow.notFound() }
            if token.status == .threeDS { return try await confirmThreeDS(token, code: form.value("code") ?? "") }
            guard token.status == .pending else { return flow.redirect(to: token.backLink) }
            let now = services.clock.now()
            switch CardEntry.validate(number: form.value("card_number") ?? "", expiry: form.value("expiry") ?? "", cvv: form.value("cvv") ?? "",
                                      holder: form.value("holder") ?? "", now: now) {
            case .failure(let problems):
                let action = "\(request.uri.path)?pg_payment_id=\(token.pageToken)"
                return PaymentPageHTML.response(PaymentPageHTML.addCardForm(
                    action: action, merchantName: try await merchantName(token), problems: problems, holder: form.value("holder") ?? ""),
                    status: .unprocessableContent)
            case .success(let entry):
                let card = entry.stored
                if card.profile.threeDSecure {
                    // 3-D Secure enrolled: the issuer's code first (same page URL), then the check.
                    let saved = try await conclude(token.pageToken, from: .pending) { token in
                        token.card = card
                        token.status = .threeDS
                        return false
                    }
                    return saved == nil ? flow.redirect(to: token.backLink) : flow.redirect(to: "\(request.uri.path)?pg_payment_id=\(token.pageToken)")
                }
                let saved = try await conclude(token.pageToken, from: .pending) { token in
                    token.card = card
                    token.status = card.profile.declineCode == nil ? .success : .failed
                    return true
                }
                return flow.redirect(to: saved?.backLink ?? token.backLink)
            }
        }
    }

    /// The 3-D Secure code of a card being saved: right → checked and saved; wrong → not saved.
    func confirmThreeDS(_ token: CardToken, code: String) async throws -> Response {
        let saved = try await conclude(token.pageToken, from: .threeDS) { token in
            let approved = code == TestCards.threeDSecureCode && token.card?.profile.declineCode == nil
            token.status = approved ? .success : .failed
            return true
        }
        return flow.redirect(to: saved?.backLink ?? token.backLink)
    }

    /// Applies `change` to the token if it is still in `state`; when `change` returns true the outcome is final
    /// and the notify to `pg_post_link` is written in the same transaction.
    func conclude(_ pageToken: String, from state: CardToken.Status,
                  _ change: @escaping @Sendable (inout CardToken) -> Bool) async throws -> CardToken? {
        let now = services.clock.now()
        let policy = services.purchases.retryPolicy
        return try await services.store.write { db -> CardToken? in
            guard var token = try await CardTokenRepository().token(pageToken: pageToken, in: db), token.status == state else { return nil }
            let final = change(&token)
            try await CardTokenRepository().update(token, in: db)
            if final {
                try await OutboxRepository().enqueue(NewCallback(
                    merchantID: token.merchantID, secret: .payment, kind: .cardStorage, subjectID: token.token, url: token.postLink,
                    method: .post, parameters: CardTokenCallbacks.parameters(token), canReject: nil),
                    policy: policy, nowMs: Int64(now.timeIntervalSince1970 * 1000), in: db)
            }
            return token
        }
    }
}
