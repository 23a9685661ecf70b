/// Card numbers: generation in the sandbox test BIN, Luhn check digits, masking for display and logs.
public enum PAN {
    /// Test BIN of sandbox cards (never a live range of the real processor).
    public static let testBIN = "440043"

    /// A 16-digit Luhn-valid PAN in the test BIN.
    public static func generate() -> String {
        let body = testBIN + RandomToken.digits(9, firstNonZero: false)
        return body + String(luhnCheckDigit(body))
    }

    /// The digit that makes `body + digit` pass the Luhn check.
    public static func luhnCheckDigit(_ body: String) -> Int {
        let sum = luhnSum(body, doubleFromRightmost: true)
        return (10 - sum % 10) % 10
    }

    public static func isLuhnValid(_ pan: String) -> Bool {
        guard pan.count >= 12, pan.allSatisfy(\.isASCIIDigit) else { return false }
        return luhnSum(pan, doubleFromRightmost: false) % 10 == 0
    }

    /// `440043******1234`: first six and last four digits, the only form that leaves the vault.
    public static func mask(_ pan: String) -> String {
        guard pan.count > 10 else { return String(repeating: "*", count: pan.count) }
        return String(pan.prefix(6)) + String(repeating: "*", count: pan.count - 10) + String(pan.suffix(4))
    }

    /// A 3-digit CVV.
    public static func generateCVV() -> String { RandomToken.digits(3, firstNonZero: false) }

    private static func luhnSum(_ digits: String, doubleFromRightmost: Bool) -> Int {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            var digit = Int(String(character)) ?? 0
            if (index % 2 == 0) == doubleFromRightmost {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum
    }
}

