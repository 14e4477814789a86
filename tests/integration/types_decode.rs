//! Generated types decode what the server sends, including what the spec did not foresee.

use prime_api::types::{GpuType, InstanceCountPricing};
use serde_json::json;

#[test]
fn string_enums_keep_unknown_values() {
    let known: GpuType = serde_json::from_value(json!("CPU_NODE")).unwrap();
    assert_eq!(known, GpuType::CpuNode);
    assert_eq!(known.as_str(), "CPU_NODE");
    let unknown: GpuType = serde_json::from_value(json!("Z9000_1TB")).unwrap();
    assert_eq!(unknown, GpuType::Unknown("Z9000_1TB".into()));
    assert_eq!(unknown.to_string(), "Z9000_1TB");
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("Z9000_1TB"));
    assert_eq!(
        serde_json::to_value(GpuType::CpuNode).unwrap(),
        json!("CPU_NODE")
    );
}

#[test]
fn additional_properties_are_kept_not_dropped() {
    let sent = json!({"cheapest": null, "region_a": {"count": 3}});
    let pricing: InstanceCountPricing = serde_json::from_value(sent).unwrap();
    assert!(pricing.cheapest.is_none());
    assert_eq!(
        pricing.additional_properties["region_a"],
        json!({"count": 3})
    );
    let back = serde_json::to_value(&pricing).unwrap();
    assert_eq!(back, json!({"region_a": {"count": 3}}));
}
