import FreedomPayWire

/// What a sandbox card does at each step (merchant-api.md §6.1). Only this profile is stored with a payment,
/// never the card number.
public struct TestCardProfile: Sendable, Equatable {
    public var threeDSecure: Bool
    /// nil: approved; otherwise the decline code.
    public var declineCode: PGErrorCode?
    public var canClear: Bool
    public var canCancel: Bool
    public var canRefund: Bool

    /// Compact storage form, e.g. `3ds=1;decline=;clear=1;cancel=0;refund=1`.
    public var encoded: String {
        "3ds=\(threeDSecure ? 1 : 0);decline=\(declineCode.map { String($0.rawValue) } ?? "");clear=\(canClear ? 1 : 0);cancel=\(canCancel ? 1 : 0);refund=\(canRefund ? 1 : 0)"
    }

    public init(threeDSecure: Bool, declineCode: PGErrorCode? = nil, canClear: Bool, canCancel: Bool, canRefund: Bool) {
        self.threeDSecure = threeDSecure
        self.declineCode = declineCode
        self.canClear = canClear
        self.canCancel = canCancel
        self.canRefund = canRefund
    }

    public init?(encoded: String) {
        var fields: [String: String] = [:]
        for part in encoded.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let threeDS = fields["3ds"], let clear = fields["clear"], let cancel = fields["cancel"], let refund = fields["refund"] else { return nil }
        self.threeDSecure = threeDS == "1"
        self.declineCode = fields["decline"].flatMap(Int.init).flatMap(PGErrorCode.init(rawValue:))
        self.canClear = clear == "1"
        self.canCancel = cancel == "1"
        self.canRefund = refund == "1"
    }
}

/// The documented purchase test cards. The decline codes and the 3-D Secure code are [inferred]:
/// the docs give none.
public enum TestCards {
    /// The one-time code the simulated 3-D Secure page accepts.
    public static let threeDSecureCode = "111111"
    public static let threeDSecureMaxAttempts = 3

    static let declinedEverywhere = TestCardProfile(threeDSecure: false, declineCode: .contactIssuer, canClear: false, canCancel: false, canRefund: false)
    static let unionPay = TestCardProfile(threeDSecure: false, canClear: true, canCancel: true, canRefund: true)

    static let profiles: [String: TestCardProfile] = [
        "4716047261941981": TestCardProfile(threeDSecure: false, canClear: true, canCancel: false, canRefund: true),
        "4916307416334310": TestCardProfile(threeDSecure: true, canClear: true, canCancel: false, canRefund: false),
        "5367654276102126": TestCardProfile(threeDSecure: true, canClear: false, canCancel: true, canRefund: false),
        "4939770956154989": TestCardProfile(threeDSecure: false, canClear: false, canCancel: true, canRefund: false),
        "5335215945367703": declinedEverywhere,
        "4916109830832246": declinedEverywhere,
        "5548398681700148": TestCardProfile(threeDSecure: false, declineCode: .insufficientFunds, canClear: false, canCancel: false, canRefund: false),
        "5475102935853613": declinedEverywhere,
        "6224466455690681278": unionPay,
        "623275279933273424": unionPay,
        "62528733472390953": unionPay,
    ]

    /// The profile of a test card; any other number is declined as nonexistent (10032) in the sandbox.
    public static func profile(pan: String) -> TestCardProfile {
        profiles[pan] ?? TestCardProfile(threeDSecure: false, declineCode: .wrongCardNumber, canClear: false, canCancel: false, canRefund: false)
    }
}

/// Card-number rules shared by the payment page and card storage.
public enum CardNumber {
    /// Digits only (spaces and dashes removed), or nil if anything else is present.
    public static func normalized(_ text: String) -> String? {
        let digits = text.filter { $0 != " " && $0 != "-" }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }

    public static func passesLuhn(_ digits: String) -> Bool {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            guard let digit = character.wholeNumberValue else { return false }
            let weighted = index % 2 == 1 ? digit * 2 : digit
            sum += weighted > 9 ? weighted - 9 : weighted
        }
        return sum % 10 == 0
    }

    /// The docs' mask: first six and last four digits, dashes every four (`5483-18XX-XXXX-0293`).
    public static func mask(_ digits: String) -> String {
        let characters = Array(digits)
        let masked = characters.enumerated().map { index, character in
            index < 6 || index >= characters.count - 4 ? character : "X"
        }
        return stride(from: 0, to: masked.count, by: 4).map { String(masked[$0..<min($0 + 4, masked.count)]) }.joined(separator: "-")
    }

    /// `pg_card_brand` [inferred beyond `VI`]: VI, CA (Mastercard), UP (UnionPay).
    public static func brand(_ digits: String) -> String {
        if digits.hasPrefix("4") { return "VI" }
        if digits.hasPrefix("5") || digits.hasPrefix("2") { return "CA" }
        if digits.hasPrefix("62") { return "UP" }
        return "XX"
    }
}
