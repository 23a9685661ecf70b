import FreedomPayCore
import Foundation

/// View models handed to the Mustache templates (rendered through reflection; plain values only).
struct DashboardTableView: Sendable {
    struct Field: Sendable {
        let name: String
        let value: String
    }

    struct Action: Sendable {
        let path: String
        let label: String
        /// A class/id hook for tests and the browser test.
        let id: String
        let field: Field?
    }

    struct Row: Sendable {
        let cells: [DashboardCell]
        let actions: [Action]
    }

    let heading: String?
    let columns: [String]
    let rows: [Row]
    let hasActions: Bool
    let span: Int
    let pageNumber: Int
    let previous: String?
    let next: String?

    /// `base` is the page's own URL without `page`; `actions` gives the buttons of a row.
    init(_ listing: DashboardListing, heading: String? = nil, base: String,
         actions: (([DashboardCell]) -> [Action])? = nil) {
        self.heading = heading
        columns = listing.columns
        rows = listing.rows.map { Row(cells: $0, actions: actions?($0) ?? []) }
        hasActions = actions != nil
        span = listing.columns.count + (actions == nil ? 0 : 1)
        pageNumber = listing.page + 1
        let separator = base.contains("?") ? "&" : "?"
        previous = listing.page > 0 ? "\(base)\(separator)page=\(listing.page - 1)" : nil
        next = listing.hasMore ? "\(base)\(separator)page=\(listing.page + 1)" : nil
    }
}
