use super::*;

/// Element names in document order, checking that tags nest and close.
fn parse_tags(doc: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = doc;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').ok_or("unclosed tag")?;
        let tag = &after[..close];
        if !tag.matches('"').count().is_multiple_of(2) {
            return Err(format!("unbalanced quotes in <{tag}>"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack.pop().ok_or("close without open")?;
            if top != name {
                return Err(format!("</{name}> closes <{top}>"));
            }
        } else {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            seen.push(name.clone());
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &after[close + 1..];
    }
    if stack.is_empty() {
        Ok(seen)
    } else {
        Err(format!("unclosed: {stack:?}"))
    }
}

#[test]
fn well_formed_with_one_line_per_series() {
    let a: Vec<(f64, f64)> = (0..=100)
        .map(|i| {
            (
                100.0 * (1.0 - 10f64.powf(-i as f64 / 20.0)),
                10.0 + i as f64,
            )
        })
        .collect();
    let b = [(50.0, 30.0), (90.0, 40.0), (99.0, 90.0), (100.0, 400.0)];
    let doc = plot(
        "actuator <vs> nginx & co",
        &[
            Series {
                label: "ours \"a\"",
                points: &a,
            },
            Series {
                label: "wrk",
                points: &b,
            },
        ],
    );
    let tags = parse_tags(&doc).expect("well-formed");
    assert_eq!(tags.first().map(String::as_str), Some("svg"));
    assert_eq!(tags.iter().filter(|t| *t == "polyline").count(), 2);
    // Sparse series get markers; the 100% point is off the axis.
    assert_eq!(tags.iter().filter(|t| *t == "circle").count(), 3);
    assert!(doc.contains("actuator &lt;vs&gt; nginx &amp; co"));
    assert!(doc.contains("ours &quot;a&quot;") && doc.contains("99.999%"));
    assert!(doc.trim_end().ends_with("</svg>"));
}

#[test]
fn axis_helpers() {
    assert_eq!(x_of(0.0), Some(0.0));
    assert!((x_of(99.0).unwrap_or(0.0) - 2.0).abs() < 1e-9);
    assert_eq!(x_of(100.0), None);
    assert_eq!(nice_max(130.0), 200.0);
    assert_eq!(nice_max(0.0), 1.0);
    assert_eq!(trim(2.50), "2.5");
    let empty = plot("empty", &[]);
    assert!(parse_tags(&empty).is_ok());
}
