import Foundation
import FreedomPayCore
import Hummingbird

/// The paged list pages: partners, merchants (with their rotate buttons), clients, cards, card transactions,
/// payments, payouts, the callback log and the SMS inbox.
extension DashboardRoutes {
    typealias Query = @Sendable (Request, DashboardPaging, any SQLExecutor) async throws -> DashboardListing

    func registerListings(on group: RouterGroup<AppRequestContext>) {
        listing(group, "partners", "Partners", actions: { cells in
            [.init(path: "partners/\(DashboardFormat.escape(cells[0].text))/rotate", label: "Rotate secret", id: "rotate-partner", field: nil)]
        }) { [queries] _, paging, db in try await queries.partners(paging, in: db) }
        listing(group, "merchants", "Merchants", actions: { cells in
            let path = "merchants/\(DashboardFormat.escape(cells[0].text))/rotate"
            return [.init(path: path, label: "Rotate payment secret", id: "rotate-payment", field: .init(name: "secret", value: "payment")),
                    .init(path: path, label: "Rotate payout secret", id: "rotate-payout", field: .init(name: "secret", value: "payout"))]
        }) { [queries] _, paging, db in try await queries.merchants(paging, in: db) }
        listing(group, "clients", "Clients") { [queries] _, paging, db in try await queries.clients(paging, in: db) }
        listing(group, "cards", "Cards", searchable: true) { [queries] request, paging, db in
            try await queries.cards(search: request.uri.queryParameters.get("q"), paging, in: db)
        }
        listing(group, "transactions", "Card transactions") { [queries] request, paging, db in
            try await queries.transactions(card: request.uri.queryParameters.get("card"), paging, in: db)
        }
        listing(group, "payments", "Merchant payments") { [queries] _, paging, db in try await queries.payments(paging, in: db) }
        listing(group, "payouts", "Payouts") { [queries] _, paging, db in try await queries.payouts(paging, in: db) }
        listing(group, "callbacks", "Callback log") { [queries] request, paging, db in
            try await queries.callbacks(subject: request.uri.queryParameters.get("subject"), paging, in: db)
        }
        listing(group, "sms", "Sandbox SMS inbox") { [queries] _, paging, db in try await queries.messages(paging, in: db) }
    }

    /// Registers `GET /dashboard/<path>`: one page of `query`, with optional search box and row buttons.
    private func listing(_ group: RouterGroup<AppRequestContext>, _ path: String, _ title: String, searchable: Bool = false,
                         actions: (@Sendable ([DashboardCell]) -> [DashboardTableView.Action])? = nil, query: @escaping Query) {
        group.get(RouterPath(stringLiteral: path), use: page { [services] request, _, session in
            let paging = Self.paging(request)
            let listing = try await services.store.read { db in try await query(request, paging, db) }
            let base = "/dashboard/\(path)" + Self.filterQuery(request)
            return render(title, template: "listing", [
                "listing": DashboardTableView(listing, base: base, actions: actions), "searchable": searchable,
                "query": request.uri.queryParameters.get("q") ?? "",
            ], session: session)
        })
    }

    /// The list's filter (`q`, `card`, `subject`) kept in the paging links.
    static func filterQuery(_ request: Request) -> String {
        let kept = ["q", "card", "subject"].compactMap { name in
            request.uri.queryParameters.get(name).map { "\(name)=\(DashboardFormat.escape($0))" }
        }
        return kept.isEmpty ? "" : "?" + kept.joined(separator: "&")
    }
}
