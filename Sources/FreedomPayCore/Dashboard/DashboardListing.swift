import Foundation

/// One table cell of a dashboard page: display text and, optionally, a link relative to `/dashboard/`.
public struct DashboardCell: Sendable, Equatable {
    public let text: String
    public let link: String?

    public init(_ text: String, link: String? = nil) {
        self.text = text
        self.link = link
    }
}

/// A page of rows from one bounded query (LIMIT `size + 1`, so the page knows whether another follows).
public struct DashboardListing: Sendable {
    public let columns: [String]
    public let rows: [[DashboardCell]]
    public let page: Int
    public let hasMore: Bool
}

/// Which page of a long list: `size` rows from `page * size`. Both are clamped, so no query is unbounded.
public struct DashboardPaging: Sendable, Equatable {
    public static let maxSize = 200
    public let page: Int
    public let size: Int

    public init(page: Int = 0, size: Int = 50) {
        self.page = min(max(page, 0), 100_000)
        self.size = min(max(size, 1), Self.maxSize)
    }

    var offset: Int { page * size }
}

/// A column of a listing: its header and how a row becomes its cell.
struct DashboardColumn: Sendable {
    let label: String
    let cell: @Sendable (SQLRow) throws -> DashboardCell

    init(_ label: String, _ cell: @escaping @Sendable (SQLRow) throws -> DashboardCell) {
        self.label = label
        self.cell = cell
    }

    /// A column showing `column` as text (empty for NULL), optionally linked.
    static func text(_ label: String, _ column: String, link: (@Sendable (String) -> String)? = nil) -> DashboardColumn {
        DashboardColumn(label) { row in
            let value = DashboardFormat.text(row[column])
            return DashboardCell(value, link: value.isEmpty ? nil : link?(DashboardFormat.escape(value)))
        }
    }

    /// An amount in minor units of the row's `currency` column, shown with its decimals.
    static func money(_ label: String, _ column: String, currency: String = "currency") -> DashboardColumn {
        DashboardColumn(label) { row in
            DashboardCell(DashboardFormat.money(row.optionalInt(column) ?? 0, currency: row.optionalText(currency) ?? ""))
        }
    }

    /// A Unix time in seconds (or milliseconds when `milliseconds`), as `YYYY-MM-DD hh:mm:ss` UTC.
    static func time(_ label: String, _ column: String, milliseconds: Bool = false) -> DashboardColumn {
        DashboardColumn(label) { row in
            guard let value = row.optionalInt(column) else { return DashboardCell("") }
            return DashboardCell(DashboardFormat.time(milliseconds ? Double(value) / 1000 : Double(value)))
        }
    }
}

public enum DashboardFormat {
    /// Percent-encodes a value for a path segment or query string inside a link.
    public static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? ""
    }

    public static func text(_ value: SQLValue) -> String {
        switch value {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .blob: return "(binary)"
        case .null: return ""
        }
    }

    public static func money(_ minor: Int64, currency code: String) -> String {
        guard let currency = Currency(code: code) else { return "\(minor) (minor) \(code)" }
        return Money(minorUnits: minor, currency: currency).description
    }

    public static func time(_ seconds: TimeInterval) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}

extension DashboardListing {
    /// ` WHERE column = ?` and its bind when `value` is given; nothing otherwise. `column` is always a constant.
    static func filter(_ column: String, _ value: String?) -> (String, [SQLValue]) {
        guard let value, !value.isEmpty else { return ("", []) }
        return (" WHERE \(column) = ?", [.text(value)])
    }

    /// Runs `sql` (which must end in `LIMIT ? OFFSET ?`, bound here) and turns each row into cells.
    static func run(_ sql: String, _ binds: [SQLValue], columns: [DashboardColumn], paging: DashboardPaging,
                    in db: any SQLExecutor) async throws -> DashboardListing {
        let rows = try await db.query(sql, binds + [SQLValue(paging.size + 1), SQLValue(paging.offset)])
        let cells = try rows.prefix(paging.size).map { row in try columns.map { try $0.cell(row) } }
        return DashboardListing(columns: columns.map(\.label), rows: cells, page: paging.page, hasMore: rows.count > paging.size)
    }
}
