//! The answer-shape check against a real XML parser (the one CalDAV answers meet): on any
//! well-formed answer it refuses exactly those deeper or larger than the limits, whatever
//! comments, CDATA, attributes holding `>` and processing instructions it holds; and nothing
//! it lets through parses deeper or larger than the limits.

use proptest::prelude::*;
use roadmap_core::answer::{
    AnswerLimits, AnswerShape, MAX_ANSWER_DEPTH, MAX_ANSWER_ELEMENTS, check_answer,
};

/// A piece of an element's content.
#[derive(Debug, Clone)]
enum Node {
    Element {
        name: &'static str,
        attribute: Option<&'static str>,
        empty: bool,
        children: Vec<Node>,
    },
    Text(&'static str),
    Comment(&'static str),
    Cdata(&'static str),
    Instruction(&'static str),
}

fn write(node: &Node, out: &mut String) {
    match node {
        Node::Element {
            name,
            attribute,
            empty,
            children,
        } => {
            out.push('<');
            out.push_str(name);
            if let Some(a) = attribute {
                out.push(' ');
                out.push_str(a);
            }
            if *empty && children.is_empty() {
                out.push_str("/>");
                return;
            }
            out.push('>');
            for c in children {
                write(c, out);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
        Node::Text(t) => out.push_str(t),
        Node::Comment(t) => {
            out.push_str("<!--");
            out.push_str(t);
            out.push_str("-->");
        }
        Node::Cdata(t) => {
            out.push_str("<![CDATA[");
            out.push_str(t);
            out.push_str("]]>");
        }
        Node::Instruction(t) => {
            out.push_str("<?");
            out.push_str(t);
            out.push_str("?>");
        }
    }
}

fn leaf() -> impl Strategy<Value = Node> {
    prop_oneof![
        prop::sample::select(vec!["text", " > ", "a &lt;b&gt; c", "\r\n  ", "x/>y"])
            .prop_map(Node::Text),
        prop::sample::select(vec![" <d:response> ", "a > b", " </x> <y/> ", "x > <r> y"])
            .prop_map(Node::Comment),
        prop::sample::select(vec![
            "<d:prop>",
            "]] >",
            "BEGIN:VCALENDAR</x>",
            "1 > 0 <d:response>"
        ])
        .prop_map(Node::Cdata),
        prop::sample::select(vec!["pi <a> b", "x y='>'"]).prop_map(Node::Instruction),
        (
            prop::sample::select(vec!["d:href", "d:getetag", "x"]),
            prop::option::of(prop::sample::select(vec![
                "a=\"1\"",
                "a=\"x>y\"",
                "b='/>'",
                "c=\"&lt;/x&gt;\"",
            ])),
        )
            .prop_map(|(name, attribute)| Node::Element {
                name,
                attribute,
                empty: true,
                children: Vec::new(),
            }),
    ]
}

fn tree() -> impl Strategy<Value = Node> {
    leaf().prop_recursive(14, 200, 6, |inner| {
        (
            prop::sample::select(vec!["d:response", "d:prop", "r", "c:calendar-data"]),
            prop::option::of(prop::sample::select(vec!["a=\"x>y\"", "b='/r>'"])),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(name, attribute, children)| Node::Element {
                name,
                attribute,
                empty: false,
                children,
            })
    })
}

/// The answer `root` wrapped as a server writes one.
fn answer(root: &Node) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- a server -->");
    out.push_str("<d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">");
    write(root, &mut out);
    out.push_str("</d:multistatus>");
    out
}

/// The depth and element count the parser finds.
fn measured(text: &str) -> Option<(usize, usize)> {
    let doc = roxmltree::Document::parse(text).ok()?;
    let mut deepest = 0;
    let mut elements = 0;
    for node in doc.descendants().filter(|n| n.is_element()) {
        elements += 1;
        deepest = deepest.max(node.ancestors().filter(|a| a.is_element()).count());
    }
    Some((deepest, elements))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(400)))]

    #[test]
    fn refuses_exactly_what_is_too_deep_or_too_large(
        root in tree(),
        depth in 1usize..16,
        elements in 1usize..60,
    ) {
        let text = answer(&root);
        let (deepest, count) = measured(&text).expect("the generator writes well-formed XML");
        let limits = AnswerLimits { depth, elements };
        let verdict = check_answer(text.as_bytes(), limits);
        let fits = deepest <= depth && count <= elements;
        prop_assert_eq!(verdict.is_ok(), fits, "{:?} for depth {} and {} elements", verdict, deepest, count);
    }

    /// Any bytes at all (a well-formed answer cut and spliced): what passes is within the
    /// limits once parsed, or not XML at all.
    #[test]
    fn nothing_let_through_parses_larger(
        root in tree(),
        cut in any::<prop::sample::Index>(),
        splice in any::<prop::sample::Index>(),
        depth in 1usize..16,
        elements in 1usize..60,
    ) {
        let text = answer(&root);
        let bytes = text.as_bytes();
        let (a, b) = (cut.index(bytes.len()), splice.index(bytes.len()));
        let mut mangled = bytes[..a.min(b)].to_vec();
        mangled.extend_from_slice(&bytes[a.max(b)..]);
        mangled.extend_from_slice(&bytes[a.min(b)..a.max(b)]);
        let limits = AnswerLimits { depth, elements };
        if check_answer(&mangled, limits).is_ok()
            && let Ok(text) = std::str::from_utf8(&mangled)
            && let Some((deepest, count)) = measured(text)
        {
            prop_assert!(deepest <= depth && count <= elements, "{deepest} deep, {count} elements");
        }
    }
}

/// The issue's answer: `<response>` nested thousands deep (parsing and searching it is
/// quadratic), refused at the first level past the limit.
#[test]
fn nested_responses_are_refused() {
    let levels = 100_000;
    let mut text = String::from("<d:multistatus xmlns:d=\"DAV:\">");
    text.push_str(&"<d:response>".repeat(levels));
    text.push_str(&"</d:response>".repeat(levels));
    text.push_str("</d:multistatus>");
    let Err(AnswerShape::TooDeep { limit, at }) =
        check_answer(text.as_bytes(), AnswerLimits::default())
    else {
        panic!("a 100,000-deep answer passed");
    };
    assert_eq!(limit, MAX_ANSWER_DEPTH);
    assert_eq!(at, 30 + (MAX_ANSWER_DEPTH - 1) * "<d:response>".len());
}

/// An answer of tiny elements near the byte cap (about 900 MB once parsed) is refused.
#[test]
fn an_answer_of_tiny_elements_is_refused() {
    let text = format!("<m>{}</m>", "<a/>".repeat(MAX_ANSWER_ELEMENTS + 1));
    assert!(matches!(
        check_answer(text.as_bytes(), AnswerLimits::default()),
        Err(AnswerShape::TooMany { .. })
    ));
    // One fewer fits (the root is one of them).
    let text = format!("<m>{}</m>", "<a/>".repeat(MAX_ANSWER_ELEMENTS - 1));
    assert_eq!(
        check_answer(text.as_bytes(), AnswerLimits::default()),
        Ok(())
    );
}
