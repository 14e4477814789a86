//! YAML text → `serde_json::Value`, repairing duplicate keys instead of refusing the document.
//!
//! The value is built from `saphyr-parser`'s event stream with an explicit stack, so nesting
//! depth never turns into recursion. Plain scalars are resolved by the YAML 1.2 core schema
//! exactly as `serde_yaml` resolved them, so documents it accepted keep their meaning.

use crate::error::{Error, Location, push_pointer};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// Deepest nesting accepted. Everything downstream (cloning, dropping, deserialising into the
/// typed model) recurses over the value, so a bound here keeps hostile input from overflowing
/// the stack; real specs stay well below it.
const MAX_DEPTH: usize = 256;

/// Most nodes that anchors and aliases may copy in total. Each alias is expanded into a full
/// copy, so a few nested anchors can otherwise ask for billions of nodes ("billion laughs").
const MAX_ALIAS_NODES: usize = 2_000_000;

/// The handle `!!` stands for, which marks the core schema's own tags.
const CORE_TAG: &str = "tag:yaml.org,2002:";

/// A duplicate key that was repaired: the JSON pointer of the mapping entry (e.g.
/// "#/paths/~1pets/get") and a lowercase message without trailing period naming the lines of
/// both keys, e.g. "duplicate key `get` on lines 12 and 30; the last value is kept".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// JSON pointer of the repeated entry.
    pub pointer: String,
    /// What was repaired and how.
    pub message: String,
}

/// Parses the first document of a YAML stream. Duplicate keys keep their last value and are
/// reported; syntax errors carry a one-based line and column.
pub fn parse(text: &[u8]) -> Result<(Value, Vec<Duplicate>), Error> {
    let text = std::str::from_utf8(text).map_err(|e| not_utf8(text, e.valid_up_to()))?;
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, span) = next(&mut parser)?;
        let node = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
            // The stream ended before any document began: only blanks and comments.
            Event::StreamEnd | Event::DocumentEnd => {
                return Err(Error::at("#", "the document is empty"));
            }
            Event::Alias(id) => builder.alias(id, span)?,
            Event::Scalar(text, style, anchor, tag) => {
                builder.scalar(text, style, anchor, tag, span)?
            }
            Event::SequenceStart(anchor, _) => {
                builder.open(Open::Seq(Vec::new()), anchor, span)?;
                continue;
            }
            Event::MappingStart(anchor, _) => {
                builder.open(Open::Map(Map::new()), anchor, span)?;
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
        };
        if let Some(root) = builder.attach(node)? {
            // Reading up to the document's end still reports garbage after the root node;
            // later documents of the stream are not read.
            next(&mut parser)?;
            return Ok((root, builder.duplicates));
        }
    }
}

/// The next parser event; the parser always ends with `StreamEnd`, so running out is the same.
fn next<'a>(
    parser: &mut Parser<'a, saphyr_parser::StrInput<'a>>,
) -> Result<(Event<'a>, Span), Error> {
    match parser.next_event() {
        Some(Ok(event)) => Ok(event),
        Some(Err(e)) => Err(scan_error(&e)),
        None => Ok((Event::StreamEnd, Span::default())),
    }
}

fn scan_error(e: &ScanError) -> Error {
    let mark = e.marker();
    syntax_error(mark.line(), mark.col() + 1, e.info())
}

fn syntax_error(line: usize, column: usize, what: &str) -> Error {
    Error {
        location: Location::LineColumn { line, column },
        message: format!("invalid YAML: {what}"),
    }
}

/// YAML is Unicode text; the position of the first bad byte helps find a mis-encoded file.
fn not_utf8(text: &[u8], valid_up_to: usize) -> Error {
    let prefix = String::from_utf8_lossy(&text[..valid_up_to.min(text.len())]);
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    syntax_error(line, column, "the text is not valid UTF-8")
}

/// A collection whose end event has not arrived yet.
enum Open {
    Seq(Vec<Value>),
    Map(Map<String, Value>),
}

/// A key read in a mapping, waiting for its value.
enum Key {
    Name(String),
    /// The plain `<<` key, whose value is merged rather than stored.
    Merge,
}

struct Frame {
    open: Open,
    /// The key whose value comes next (mappings only), and the line it is on.
    key: Option<Key>,
    key_line: usize,
    /// The line of each entry's key, in entry order, to name both lines of a duplicate.
    lines: Vec<usize>,
    /// Mappings named by `<<` keys, in the order written.
    merges: Vec<Map<String, Value>>,
    anchor: usize,
    /// `Builder::nodes` when the collection opened, to size it for its aliases.
    nodes_before: usize,
    /// Height of the tallest child (0 while the collection holds only scalars).
    height: usize,
    /// Where the collection starts, for errors that have no better place.
    span: Span,
}

/// A finished node on its way into its parent.
struct Node {
    value: Value,
    /// Collections above the deepest scalar: 0 for a scalar.
    height: usize,
    /// Set when the node is a mapping key: its string form and whether it is the merge key.
    key: Option<Key>,
    /// The line the node starts on.
    line: usize,
}

/// What an anchor names, with the sizes needed to bound its expansion.
struct Anchored {
    value: Value,
    nodes: usize,
    height: usize,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    /// Anchor ids count up from 1, so a vector indexed by id is the anchor table; an anchor
    /// whose node is still open has no entry yet, which is what stops self-reference.
    anchors: Vec<Option<Anchored>>,
    /// Nodes produced so far, alias copies included.
    nodes: usize,
    /// Nodes copied for anchors and aliases.
    alias_nodes: usize,
    duplicates: Vec<Duplicate>,
}

impl Builder {
    /// True when the next node is a mapping key.
    fn wants_key(&self) -> bool {
        matches!(self.stack.last(), Some(f) if matches!(f.open, Open::Map(_)) && f.key.is_none())
    }

    /// JSON pointer of the place the next node goes, using the first `frames` open collections.
    fn pointer(&self, frames: usize) -> String {
        let mut pointer = String::from("#");
        for frame in &self.stack[..frames.min(self.stack.len())] {
            pointer = match (&frame.open, &frame.key) {
                (Open::Seq(items), _) => push_pointer(&pointer, &items.len().to_string()),
                (Open::Map(_), Some(Key::Name(k))) => push_pointer(&pointer, k),
                (Open::Map(_), Some(Key::Merge)) => push_pointer(&pointer, "<<"),
                (Open::Map(_), None) => pointer,
            };
        }
        pointer
    }

    /// JSON pointer of the mapping that is waiting for a key.
    fn mapping_pointer(&self) -> String {
        self.pointer(self.stack.len())
    }

    fn open(&mut self, open: Open, anchor: usize, span: Span) -> Result<(), Error> {
        if self.wants_key() {
            return Err(Error::at(
                self.mapping_pointer(),
                "a mapping key is not a scalar",
            ));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(&span));
        }
        self.stack.push(Frame {
            open,
            key: None,
            key_line: 0,
            lines: Vec::new(),
            merges: Vec::new(),
            anchor,
            nodes_before: self.nodes,
            height: 0,
            span,
        });
        self.nodes += 1;
        Ok(())
    }

    fn close(&mut self) -> Result<Node, Error> {
        let Some(frame) = self.stack.pop() else {
            // The parser balances start and end events; this only guards against a bug there.
            return Err(Error::at("#", "invalid YAML: unbalanced collection end"));
        };
        let value = match frame.open {
            Open::Seq(items) => Value::Array(items),
            Open::Map(mut map) => {
                // Keys written in the mapping win over merged ones, and earlier merged mappings
                // win over later ones, as the merge-key convention says.
                for source in frame.merges {
                    for (k, v) in source {
                        if let Entry::Vacant(slot) = map.entry(k) {
                            slot.insert(v);
                        }
                    }
                }
                Value::Object(map)
            }
        };
        let height = frame.height + 1;
        self.remember(
            frame.anchor,
            &value,
            self.nodes - frame.nodes_before,
            height,
            &frame.span,
        )?;
        Ok(Node {
            value,
            height,
            key: None,
            line: frame.span.start.line(),
        })
    }

    /// Keeps a copy of an anchored node for its aliases. The copies count against the alias
    /// budget too: anchors nested in anchors copy each subtree once per level.
    fn remember(
        &mut self,
        anchor: usize,
        value: &Value,
        nodes: usize,
        height: usize,
        span: &Span,
    ) -> Result<(), Error> {
        if anchor == 0 {
            return Ok(());
        }
        self.spend(nodes, span)?;
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || None);
        }
        self.anchors[anchor] = Some(Anchored {
            value: value.clone(),
            nodes,
            height,
        });
        Ok(())
    }

    /// Charges copied nodes to the budget, before copying, so a bomb is refused unbuilt.
    fn spend(&mut self, nodes: usize, span: &Span) -> Result<(), Error> {
        self.alias_nodes += nodes;
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(syntax_error(
                span.start.line(),
                span.start.col() + 1,
                &format!("anchors and aliases expand to more than {MAX_ALIAS_NODES} nodes"),
            ));
        }
        Ok(())
    }

    /// The node an anchor names, once that node is finished.
    fn anchored(&self, id: usize) -> Option<&Anchored> {
        self.anchors.get(id).and_then(Option::as_ref)
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<Node, Error> {
        let Some((nodes, height)) = self.anchored(id).map(|a| (a.nodes, a.height)) else {
            return Err(syntax_error(
                span.start.line(),
                span.start.col() + 1,
                "an alias refers to a node that contains it",
            ));
        };
        if self.stack.len() + height > MAX_DEPTH {
            return Err(too_deep(&span));
        }
        self.spend(nodes, &span)?;
        self.nodes += nodes;
        let value = self.anchored(id).map_or(Value::Null, |a| a.value.clone());
        let key = if self.wants_key() {
            Some(Key::Name(match &value {
                Value::String(s) => s.clone(),
                Value::Null => "null".into(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string().replace("e+", "e"),
                Value::Array(_) | Value::Object(_) => {
                    return Err(Error::at(
                        self.mapping_pointer(),
                        "a mapping key is not a scalar",
                    ));
                }
            }))
        } else {
            None
        };
        Ok(Node {
            value,
            height,
            key,
            line: span.start.line(),
        })
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        span: Span,
    ) -> Result<Node, Error> {
        self.nodes += 1;
        let is_key = self.wants_key();
        if is_key && anchor == 0 && tag.is_none() {
            // The common case, a key used once, skips building a value it would not keep.
            let key = if style == ScalarStyle::Plain && text == "<<" {
                Key::Merge
            } else {
                Key::Name(match resolve(text, style, None) {
                    Scalar::Str(s) => s,
                    other => other.to_key(),
                })
            };
            return Ok(Node {
                value: Value::Null,
                height: 0,
                key: Some(key),
                line: span.start.line(),
            });
        }
        let scalar = resolve(text, style, tag.as_deref());
        let (value, key) = if is_key {
            let key = scalar.to_key();
            // An anchored key aliased elsewhere as a value keeps its type; a non-finite float,
            // which has no JSON form, is remembered by its key spelling.
            let value = scalar
                .into_value()
                .unwrap_or_else(|_| Value::String(key.clone()));
            (value, Some(Key::Name(key)))
        } else {
            let value = scalar
                .into_value()
                .map_err(|message| Error::at(self.pointer(self.stack.len()), message))?;
            (value, None)
        };
        self.remember(anchor, &value, 1, 0, &span)?;
        Ok(Node {
            value,
            height: 0,
            key,
            line: span.start.line(),
        })
    }

    /// Puts a finished node into its parent; returns the root once it is finished.
    fn attach(&mut self, node: Node) -> Result<Option<Value>, Error> {
        let frames = self.stack.len();
        let Some(frame) = self.stack.last_mut() else {
            return Ok(Some(node.value));
        };
        frame.height = frame.height.max(node.height);
        let duplicate = match &mut frame.open {
            Open::Seq(items) => {
                items.push(node.value);
                None
            }
            Open::Map(map) => match frame.key.take() {
                None => {
                    frame.key = node.key;
                    frame.key_line = node.line;
                    None
                }
                Some(Key::Merge) => {
                    let merged = match node.value {
                        Value::Object(source) => Some(vec![source]),
                        Value::Array(items) => items
                            .into_iter()
                            .map(|item| match item {
                                Value::Object(source) => Some(source),
                                _ => None,
                            })
                            .collect::<Option<Vec<_>>>(),
                        _ => None,
                    };
                    let Some(merged) = merged else {
                        frame.key = Some(Key::Merge);
                        return Err(Error::at(
                            self.pointer(frames),
                            "the value of a `<<` merge key is not a mapping or a list of mappings",
                        ));
                    };
                    frame.merges.extend(merged);
                    None
                }
                Some(Key::Name(key)) => match map.entry(key) {
                    Entry::Occupied(mut slot) => {
                        slot.insert(node.value);
                        let key = slot.key().clone();
                        // Duplicates are rare, so finding the entry's index by a scan is cheap
                        // overall; the entry keeps its place, so its index is its line's index.
                        let index = map.keys().position(|k| *k == key);
                        let line = index.and_then(|i| frame.lines.get_mut(i));
                        let dropped = line.map_or(0, |l| std::mem::replace(l, frame.key_line));
                        Some((key, dropped, frame.key_line))
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(node.value);
                        frame.lines.push(frame.key_line);
                        None
                    }
                },
            },
        };
        if let Some((key, dropped, kept)) = duplicate {
            let pointer = push_pointer(&self.pointer(frames - 1), &key);
            let lines = if dropped == kept {
                format!("twice on line {kept}")
            } else {
                format!("on lines {dropped} and {kept}")
            };
            self.duplicates.push(Duplicate {
                pointer,
                message: format!("duplicate key `{key}` {lines}; the last value is kept"),
            });
        }
        Ok(None)
    }
}

fn too_deep(span: &Span) -> Error {
    syntax_error(
        span.start.line(),
        span.start.col() + 1,
        &format!("the document nests deeper than {MAX_DEPTH} levels"),
    )
}

/// A scalar after tag and core-schema resolution.
enum Scalar {
    Null,
    Bool(bool),
    Int(Number),
    /// An integer beyond 64 bits: a float as a value, its text as a key.
    Wide(f64, String),
    Float(f64),
    Str(String),
}

impl Scalar {
    fn into_value(self) -> Result<Value, String> {
        Ok(match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(n) => Value::Number(n),
            Scalar::Wide(f, _) | Scalar::Float(f) => Value::Number(
                Number::from_f64(f)
                    .ok_or_else(|| format!("number {f} cannot be represented in JSON"))?,
            ),
            Scalar::Str(s) => Value::String(s),
        })
    }

    /// JSON keys are strings, so a key such as the response code `200` takes its string form,
    /// spelled as `serde_yaml` spelled it.
    fn to_key(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(n) => n.to_string(),
            Scalar::Wide(_, text) => text.clone(),
            // serde_json spells exponents `e+300` where serde_yaml (ryu) spelled `e300`; the
            // digits are the same shortest form.
            Scalar::Float(f) => match Number::from_f64(*f) {
                Some(n) => n.to_string().replace("e+", "e"),
                None if f.is_nan() => ".nan".into(),
                None if f.is_sign_negative() => "-.inf".into(),
                None => ".inf".into(),
            },
            Scalar::Str(s) => s.clone(),
        }
    }
}

/// Resolves a scalar: quoted and block scalars are strings, plain ones follow the core schema,
/// and the core schema's own tags (`!!str`, `!!int`, ...) decide where present.
fn resolve(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Scalar {
    if let Some(kind) = tag.and_then(core_tag) {
        let typed = match kind {
            "int" => int(&text),
            "float" => int(&text)
                .map(|n| match n {
                    Scalar::Int(n) => Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
                    Scalar::Wide(f, _) => Scalar::Float(f),
                    other => other,
                })
                .or_else(|| float(&text).map(Scalar::Float)),
            "bool" => boolean(&text).map(Scalar::Bool),
            "null" => null(&text).then_some(Scalar::Null),
            // `!!str`, and types JSON has no form for (`!!binary`, `!!timestamp`), keep their
            // text, as `serde_yaml` did.
            _ => return Scalar::Str(text.into_owned()),
        };
        // A typed tag whose text does not parse is resolved as if untagged rather than refused.
        if let Some(typed) = typed {
            return typed;
        }
    }
    if style != ScalarStyle::Plain {
        return Scalar::Str(text.into_owned());
    }
    if text.is_empty() || null(&text) {
        return Scalar::Null;
    }
    if let Some(b) = boolean(&text) {
        return Scalar::Bool(b);
    }
    if let Some(n) = int(&text) {
        return n;
    }
    if !digits_but_not_number(&text)
        && let Some(f) = float(&text)
    {
        return Scalar::Float(f);
    }
    Scalar::Str(text.into_owned())
}

/// The core-schema type a tag names (`str` for `!!str`), if it is a core-schema tag.
fn core_tag(tag: &Tag) -> Option<&str> {
    if tag.handle == CORE_TAG {
        Some(&tag.suffix)
    } else if tag.handle.is_empty() {
        // A verbatim tag such as `!<tag:yaml.org,2002:str>` arrives whole in the suffix.
        tag.suffix.strip_prefix(CORE_TAG)
    } else {
        None
    }
}

fn null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Integers as `serde_yaml` read them: decimal, `0x`, `0o` and `0b`, optionally signed.
/// Integers of 65 to 128 bits, which serde_yaml refused, become floats, since JSON numbers
/// have no width.
fn int(text: &str) -> Option<Scalar> {
    if let Some(u) = unsigned_int(text, u64::from_str_radix) {
        return Some(Scalar::Int(Number::from(u)));
    }
    if let Some(i) = negative_int(text, i64::from_str_radix) {
        return Some(Scalar::Int(Number::from(i)));
    }
    // Precision is lost on purpose: the value still compares and orders correctly.
    let wide = if let Some(u) = unsigned_int(text, u128::from_str_radix) {
        u as f64
    } else if let Some(i) = negative_int(text, i128::from_str_radix) {
        i as f64
    } else {
        // Longer digit strings are read as floats by `float`, as serde_yaml read them.
        return None;
    };
    Some(Scalar::Wide(wide, text.to_owned()))
}

type Radix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

/// Splits off a radix prefix; a sign after the prefix (`0x-1`) is not a number.
fn radix_digits(text: &str) -> Option<(&str, u32)> {
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            return Some((rest, radix));
        }
    }
    None
}

fn unsigned_int<T>(text: &str, parse: Radix<T>) -> Option<T> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    if unsigned.starts_with(['+', '-']) {
        return None;
    }
    if let Some((digits, radix)) = radix_digits(unsigned)
        && let Ok(n) = parse(digits, radix)
    {
        return Some(n);
    }
    if digits_but_not_number(text) {
        return None;
    }
    parse(unsigned, 10).ok()
}

fn negative_int<T>(text: &str, parse: Radix<T>) -> Option<T> {
    let digits = text.strip_prefix('-')?;
    if let Some((rest, radix)) = radix_digits(digits)
        && let Ok(n) = parse(&format!("-{rest}"), radix)
    {
        return Some(n);
    }
    if digits_but_not_number(text) {
        return None;
    }
    parse(text, 10).ok()
}

/// Floats as `serde_yaml` read them, `.inf` and `.nan` included; text that Rust reads as an
/// infinite float (`1e999`) stays a string, as it did there.
fn float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    match text {
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros followed only by digits (`0123`) make a string in YAML 1.2, not an octal.
fn digits_but_not_number(text: &str) -> bool {
    let text = text.strip_prefix(['-', '+']).unwrap_or(text);
    text.len() > 1 && text.starts_with('0') && text[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(text: &str) -> (Value, Vec<Duplicate>) {
        match parse(text.as_bytes()) {
            Ok(parsed) => parsed,
            Err(e) => panic!("{text:?} failed: {e}"),
        }
    }

    fn value(text: &str) -> Value {
        let (value, duplicates) = ok(text);
        assert!(duplicates.is_empty(), "{duplicates:?}");
        value
    }

    fn err(text: &str) -> Error {
        match parse(text.as_bytes()) {
            Ok((v, _)) => panic!("{text:?} parsed as {v}"),
            Err(e) => e,
        }
    }

    #[test]
    fn response_code_keys_become_strings() {
        let v = value("responses:\n  200:\n    description: ok\n  default: {description: x}\n");
        assert_eq!(
            v,
            json!({"responses": {"200": {"description": "ok"}, "default": {"description": "x"}}})
        );
        assert_eq!(
            value("{true: a, ~: b, 1.5: c, 0x1F: d, .inf: e}"),
            json!({"true": "a", "null": "b", "1.5": "c", "31": "d", ".inf": "e"})
        );
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let (v, duplicates) = ok("a: 1\nb: 2\na: 3\n");
        assert_eq!(v, json!({"a": 3, "b": 2}));
        // The entry keeps its first position, as serde_json's `insert` does.
        assert_eq!(
            v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            duplicates,
            vec![Duplicate {
                pointer: "#/a".into(),
                message: "duplicate key `a` on lines 1 and 3; the last value is kept".into(),
            }]
        );
    }

    #[test]
    fn nested_duplicate_pointer() {
        let text = "paths:\n  /pets:\n    get: {summary: one}\n    post: {}\n    get:\n      summary: two\n  /x: []\nlist:\n  - {k: 1, k: 2}\n";
        let (v, duplicates) = ok(text);
        assert_eq!(v["paths"]["/pets"]["get"], json!({"summary": "two"}));
        assert_eq!(v["list"], json!([{"k": 2}]));
        let pointers: Vec<&str> = duplicates.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/paths/~1pets/get", "#/list/0/k"]);
        assert_eq!(
            duplicates[0].message,
            "duplicate key `get` on lines 3 and 5; the last value is kept"
        );
        assert_eq!(
            duplicates[1].message,
            "duplicate key `k` twice on line 9; the last value is kept"
        );
    }

    #[test]
    fn each_repeat_names_the_line_it_replaces() {
        let (v, duplicates) = ok("a: 1\nb: 2\na: 3\na: 4\n");
        assert_eq!(v, json!({"a": 4, "b": 2}));
        let messages: Vec<&str> = duplicates.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "duplicate key `a` on lines 1 and 3; the last value is kept",
                "duplicate key `a` on lines 3 and 4; the last value is kept"
            ]
        );
    }

    #[test]
    fn keys_that_collide_as_strings_are_duplicates() {
        let (v, duplicates) = ok("200: a\n'200': b\n");
        assert_eq!(v, json!({"200": "b"}));
        assert_eq!(duplicates.len(), 1);
    }

    #[test]
    fn anchors_and_aliases_are_expanded() {
        let v = value(
            "base: &b {type: string, maxLength: 3}\nother: *b\nlist: [&x 1, *x]\nkey: &k name\n*k : 2\n",
        );
        assert_eq!(v["other"], json!({"type": "string", "maxLength": 3}));
        assert_eq!(v["list"], json!([1, 1]));
        assert_eq!(v["name"], json!(2));
    }

    #[test]
    fn merge_keys_do_not_override_written_keys() {
        let text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 3\nd:\n  x: 4\n  <<: *b\n'<<': literal\n";
        let v = value(text);
        assert_eq!(v["c"], json!({"x": 3, "y": 1, "z": 2}));
        assert_eq!(v["d"], json!({"x": 4, "y": 2, "z": 2}));
        // A quoted `<<` is an ordinary key.
        assert_eq!(v["<<"], json!("literal"));
        let e = err("a:\n  <<: 1\n");
        assert_eq!(e.location, Location::Pointer("#/a/<<".into()));
        assert!(err("a:\n  <<: [{x: 1}, 2]\n").message.contains("merge key"));
        assert_eq!(value("a:\n  <<: []\n  x: 1\n"), json!({"a": {"x": 1}}));
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let start = std::time::Instant::now();
        let e = err(&text);
        assert_eq!(
            e.message,
            "invalid YAML: anchors and aliases expand to more than 2000000 nodes"
        );
        assert!(matches!(e.location, Location::LineColumn { .. }));
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn alias_inside_its_own_anchor_is_refused() {
        let e = err("a: &a [1, *a]\n");
        assert!(e.message.contains("contains it"), "{e}");
        let e = err("a: &a {b: *a}\n");
        assert!(e.message.contains("contains it"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let depth = 10_000;
        // The parser itself stops flow collections at 255 levels.
        let flow = format!(
            "{}1{}",
            "{type: array, items: ".repeat(depth),
            "}".repeat(depth)
        );
        let e = err(&flow);
        assert_eq!(
            e.location,
            Location::LineColumn {
                line: 1,
                column: 5356
            },
            "{e}"
        );
        assert!(
            err(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)))
                .message
                .starts_with("invalid YAML: ")
        );
        // Block collections have no such limit there, so the builder's applies.
        let mut block = String::new();
        for i in 0..depth {
            block.push_str(&" ".repeat(i));
            block.push_str("items:\n");
        }
        block.push_str(&" ".repeat(depth));
        block.push_str("x\n");
        let e = err(&block);
        assert_eq!(
            e.location,
            Location::LineColumn {
                line: MAX_DEPTH + 1,
                column: MAX_DEPTH + 1
            },
            "{e}"
        );
        assert_eq!(
            e.message,
            "invalid YAML: the document nests deeper than 256 levels"
        );
        let mut block_seq = String::new();
        for i in 0..depth {
            block_seq.push_str(&" ".repeat(i * 2));
            block_seq.push_str("-\n");
        }
        assert!(err(&block_seq).message.contains("deeper than"));
        // Exactly at the limit is fine.
        let mut fine = String::new();
        for i in 0..MAX_DEPTH {
            fine.push_str(&" ".repeat(i));
            fine.push_str("k:\n");
        }
        assert!(parse(fine.as_bytes()).is_ok());
        fine.push_str(&" ".repeat(MAX_DEPTH));
        fine.push_str("k: 1\n");
        assert!(parse(fine.as_bytes()).is_err());
    }

    #[test]
    fn alias_cannot_exceed_the_depth_limit() {
        let half = MAX_DEPTH / 2 + 1;
        let text = format!(
            "a: &a {}1{}\nb: {}*a{}\n",
            "[".repeat(half),
            "]".repeat(half),
            "[".repeat(half),
            "]".repeat(half)
        );
        assert!(err(&text).message.contains("deeper than"));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        // The parser points just past the offending tab (libyaml pointed at the tab, column 1).
        let tab = err("openapi: 3.0.3\ninfo:\n\ttitle: t\n\tversion: \"1\"\npaths: {}\n");
        assert_eq!(tab.location, Location::LineColumn { line: 3, column: 2 });
        assert!(tab.message.starts_with("invalid YAML: "), "{tab}");
        let flow = err("openapi: 3.0.3\ninfo: {title: t, version: \"1\"\npaths: {}\n");
        assert_eq!(flow.location, Location::LineColumn { line: 3, column: 1 });
        assert!(flow.message.starts_with("invalid YAML: "), "{flow}");
        let unclosed = err("a: [1, 2\n");
        assert!(
            matches!(unclosed.location, Location::LineColumn { .. }),
            "{unclosed}"
        );
        let e = parse(b"a: 1\nb: \xff\n").err();
        assert_eq!(
            e.map(|e| e.location),
            Some(Location::LineColumn { line: 2, column: 4 })
        );
    }

    #[test]
    fn scalars_resolve_by_the_core_schema() {
        let v = value(
            "- null\n- Null\n- ~\n-\n- true\n- FALSE\n- 12\n- -7\n- 0o17\n- 0x1f\n- 012\n- 1.5\n- 1e3\n- yes\n- 3.0.3\n- '123'\n- \"true\"\n- |\n  12\n",
        );
        assert_eq!(
            v,
            json!([
                null, null, null, null, true, false, 12, -7, 15, 31, "012", 1.5, 1000.0, "yes",
                "3.0.3", "123", "true", "12\n"
            ])
        );
    }

    #[test]
    fn numbers_beyond_64_bits_are_floats() {
        let v = value(
            "a: 18446744073709551616\nb: -9223372036854775809\nc: 123456789012345678901234567890123456789012\nd: 18446744073709551615\n",
        );
        assert_eq!(v["a"], json!(18_446_744_073_709_551_616.0_f64));
        assert_eq!(v["b"], json!(-9_223_372_036_854_775_809.0_f64));
        assert!(v["c"].is_f64());
        assert_eq!(v["d"], json!(u64::MAX));
        // As keys they keep the digits written.
        assert_eq!(
            value("18446744073709551616: a\n1.5e300: b\n"),
            json!({"18446744073709551616": "a", "1.5e300": "b"})
        );
    }

    #[test]
    fn non_finite_floats_are_errors_at_their_pointer() {
        let e = err("a:\n  b: [1, .nan]\n");
        assert_eq!(e.location, Location::Pointer("#/a/b/1".into()));
        assert_eq!(e.message, "number NaN cannot be represented in JSON");
        assert_eq!(
            err("x: -.inf").message,
            "number -inf cannot be represented in JSON"
        );
    }

    #[test]
    fn tags() {
        let v = value(
            "a: !!str 1\nb: !custom 2\nc: !!int '3'\nd: !custom '4'\ne: !!float 5\nf: !!str true\ng: !thing {x: 1}\n",
        );
        assert_eq!(
            v,
            json!({"a": "1", "b": 2, "c": 3, "d": "4", "e": 5.0, "f": "true", "g": {"x": 1}})
        );
    }

    #[test]
    fn complex_keys_are_errors_at_the_mapping() {
        let e = err("a:\n  ? [1, 2]\n  : x\n");
        assert_eq!(e.location, Location::Pointer("#/a".into()));
        let e = err("a: &m {x: 1}\nb: {*m : 2}\n");
        assert_eq!(e.location, Location::Pointer("#/b".into()));
    }

    #[test]
    fn empty_document_is_an_error() {
        for text in ["", "   \n\n  \n", "# only a comment\n"] {
            let e = err(text);
            assert_eq!(e, Error::at("#", "the document is empty"));
        }
        // An explicit but empty document is a null, which later stages refuse.
        assert_eq!(value("---\n"), Value::Null);
    }

    #[test]
    fn only_the_first_document_is_read() {
        assert_eq!(value("a: 1\n---\nb: 2\n"), json!({"a": 1}));
        assert_eq!(value("\u{feff}a: 1\n"), json!({"a": 1}));
        assert!(parse(b"{a: 1} x\n").is_err());
    }

    #[test]
    fn order_is_kept() {
        let v = value("z: 1\na: 2\nm: 3\n");
        let keys: Vec<&str> = v
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys, ["z", "a", "m"]);
    }
}
