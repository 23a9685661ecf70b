import Foundation

/// Card data typed by a buyer on the payment page, validated server-side. The number and CVV live only in
/// this value for the duration of one request; only `PaymentCard` (masked) is ever stored.
public struct CardEntry: Sendable {
    public let number: String
    public let expiryMonth: Int
    /// Four-digit year.
    public let expiryYear: Int
    public let cvv: String
    public let holder: String

    /// Field name -> message, in form order.
    public struct Problems: Error, Sendable, Equatable {
        public var messages: [(field: String, message: String)]
        public static func == (lhs: Problems, rhs: Problems) -> Bool { lhs.messages.map(\.field) == rhs.messages.map(\.field) }
        public func message(for field: String) -> String? { messages.first { $0.field == field }?.message }
    }

    /// Validates the form fields `card_number`, `expiry` (`MM/YY` or `MM/YYYY`), `cvv`, `holder` at `now` (UTC).
    public static func validate(number rawNumber: String, expiry: String, cvv: String, holder rawHolder: String, now: Date) -> Result<CardEntry, Problems> {
        var problems: [(String, String)] = []
        let number = CardNumber.normalized(rawNumber)
        if rawNumber.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(("card_number", "Enter the card number"))
        } else if let number, !(12...19).contains(number.count) {
            problems.append(("card_number", "The card number must have 12 to 19 digits"))
        } else if number == nil {
            problems.append(("card_number", "The card number may contain only digits"))
        } else if let number, !CardNumber.passesLuhn(number) {
            problems.append(("card_number", "The card number is not valid (check digit mismatch); check for typos"))
        }
        let parsedExpiry = parseExpiry(expiry)
        if parsedExpiry == nil {
            problems.append(("expiry", "Enter the expiry date as MM/YY"))
        } else if let (month, year) = parsedExpiry, isExpired(month: month, year: year, now: now) {
            problems.append(("expiry", "The card has expired"))
        }
        if !(cvv.count == 3 && cvv.allSatisfy({ $0.isASCII && $0.isNumber })) {
            problems.append(("cvv", "The CVV/CVC code must be the 3 digits on the back of the card"))
        }
        let holder = rawHolder.trimmingCharacters(in: .whitespaces)
        let holderAllowed = holder.allSatisfy { $0.isASCII && ($0.isLetter || " .-'".contains($0)) }
        if holder.count < 2 || holder.count > 100 || !holderAllowed {
            problems.append(("holder", "Enter the cardholder name in Latin letters as printed on the card"))
        }
        guard problems.isEmpty, let number, let (month, year) = parsedExpiry else {
            return .failure(Problems(messages: problems))
        }
        return .success(CardEntry(number: number, expiryMonth: month, expiryYear: year, cvv: cvv, holder: holder.uppercased()))
    }

    static func parseExpiry(_ text: String) -> (Int, Int)? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/")
        guard parts.count == 2, let month = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let rawYear = Int(parts[1].trimmingCharacters(in: .whitespaces)), (1...12).contains(month) else { return nil }
        let yearDigits = parts[1].trimmingCharacters(in: .whitespaces).count
        guard yearDigits == 2 || yearDigits == 4 else { return nil }
        return (month, yearDigits == 2 ? 2000 + rawYear : rawYear)
    }

    static func isExpired(month: Int, year: Int, now: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let current = calendar.dateComponents([.year, .month], from: now)
        guard let currentYear = current.year, let currentMonth = current.month else { return true }
        return year < currentYear || (year == currentYear && month < currentMonth)
    }

    /// What is kept: mask, brand, `MM/YY`, holder, and the sandbox behaviour of the number.
    public var stored: PaymentCard {
        PaymentCard(
            mask: CardNumber.mask(number), brand: CardNumber.brand(number),
            expiry: String(format: "%02d/%02d", expiryMonth, expiryYear % 100), owner: holder, profile: TestCards.profile(pan: number))
    }
}
