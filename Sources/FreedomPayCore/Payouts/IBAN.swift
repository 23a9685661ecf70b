/// IBAN checks (ISO 13616): country code, check digits, BBAN of letters and digits, total length 15–34, and the
/// mod-97 checksum (move the first four characters to the end, letters to 10..35, the number mod 97 must be 1).
public enum IBAN {
    /// The IBAN without spaces, upper-cased, or nil when it is not a valid IBAN.
    public static func normalized(_ text: String) -> String? {
        let compact = String(text.filter { $0 != " " }).uppercased()
        guard (15...34).contains(compact.count), compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        let characters = Array(compact)
        guard characters[0].isLetter, characters[1].isLetter, characters[2].isNumber, characters[3].isNumber else { return nil }
        guard remainder(String(characters[4...] + characters[..<4])) == 1 else { return nil }
        return compact
    }

    /// The number formed by `text` (letters as 10..35) modulo 97, computed digit by digit.
    static func remainder(_ text: String) -> Int {
        var value = 0
        for character in text {
            guard let digit = (character.isNumber ? character.wholeNumberValue : nil) ?? letterValue(character) else { return -1 }
            value = digit >= 10 ? (value * 100 + digit) % 97 : (value * 10 + digit) % 97
        }
        return value
    }

    static func letterValue(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue, ascii >= 65, ascii <= 90 else { return nil }
        return Int(ascii) - 55
    }
}
