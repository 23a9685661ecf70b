/// Convenience accessors over a parameter list (request, answer or callback).
extension Array where Element == PGParameter {
    /// The top-level leaf value named `name`, if any.
    public func value(_ name: String) -> String? { PGForm.value(name, in: self) }

    /// The nested children of the top-level element `name`, if it is nested.
    public func children(_ name: String) -> [PGParameter]? {
        for parameter in self where parameter.name == name {
            if case .nested(let children) = parameter.value { return children }
        }
        return nil
    }

    /// Appends `name=value` when `value` is present.
    public mutating func append(_ name: String, _ value: String?) {
        if let value { append(PGParameter(name, value)) }
    }
}
