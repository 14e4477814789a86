//! Generated types decode what the server sends, including what the spec did not foresee.

use prime_api::types::{
    ApiPodStatusResponseSshConnection, DeleteImageResponse, GpuType, InstanceCountPricing,
    RegistryCredentialsSummary,
};
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

// The structs' and untagged enums' serde impls are written out by the generator, not
// derived; these pin the behaviour serde's derive had.

#[test]
fn structs_name_the_missing_or_repeated_field_and_skip_unknown_ones() {
    let missing = serde_json::from_str::<DeleteImageResponse>(r#"{"success": true}"#)
        .unwrap_err()
        .to_string();
    assert!(missing.contains("missing field `message`"), "{missing}");
    let twice = serde_json::from_str::<DeleteImageResponse>(
        r#"{"success": true, "message": "a", "message": "b"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(twice.contains("duplicate field `message`"), "{twice}");
    let wrong =
        serde_json::from_str::<DeleteImageResponse>(r#"{"success": "yes", "message": "a"}"#)
            .unwrap_err()
            .to_string();
    assert!(wrong.contains("expected a boolean"), "{wrong}");
    let not_object = serde_json::from_str::<DeleteImageResponse>("[true]")
        .unwrap_err()
        .to_string();
    assert!(
        not_object.contains("DeleteImageResponse object"),
        "{not_object}"
    );
    // An unknown key with a nested value is skipped; an escaped key (which the decoder
    // cannot borrow from the input) still matches its field.
    let done: DeleteImageResponse = serde_json::from_str(
        r#"{"extra": {"deep": [1, {"x": null}]}, "success": false, "mess\u0061ge": "gone"}"#,
    )
    .unwrap();
    assert_eq!(
        done,
        DeleteImageResponse {
            success: false,
            message: "gone".into()
        }
    );
    // The same from a `serde_json::Value`, whose keys are borrowed differently.
    let from_value: DeleteImageResponse =
        serde_json::from_value(json!({"message": "gone", "success": false})).unwrap();
    assert_eq!(from_value, done);
    assert_eq!(
        serde_json::to_value(&done).unwrap(),
        json!({"success": false, "message": "gone"})
    );
}

#[test]
fn nullable_required_fields_are_written_as_null_and_may_be_missing() {
    let sent = json!({
        "id": "c1", "name": "n", "server": "s", "createdAt": "t0", "updatedAt": "t1",
        "userId": "u1", "teamId": null
    });
    let summary: RegistryCredentialsSummary = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(summary.user_id.as_deref(), Some("u1"));
    assert_eq!(summary.team_id, None);
    // Required but nullable: written even when `None`, so the server sees `null`.
    assert_eq!(serde_json::to_value(&summary).unwrap(), sent);
    // A nullable property left out decodes as `None`, as serde's `default` did.
    let mut partial = sent.clone();
    partial.as_object_mut().unwrap().remove("teamId");
    let summary: RegistryCredentialsSummary = serde_json::from_value(partial).unwrap();
    assert_eq!(summary.team_id, None);
}

#[test]
fn untagged_enums_take_the_first_variant_that_decodes() {
    let one: ApiPodStatusResponseSshConnection =
        serde_json::from_value(json!("root@10.0.0.1")).unwrap();
    assert_eq!(
        one,
        ApiPodStatusResponseSshConnection::String("root@10.0.0.1".into())
    );
    let many: ApiPodStatusResponseSshConnection =
        serde_json::from_value(json!(["a", null])).unwrap();
    assert_eq!(
        many,
        ApiPodStatusResponseSshConnection::Array(vec![Some("a".into()), None])
    );
    assert_eq!(serde_json::to_value(&many).unwrap(), json!(["a", null]));
    let none = serde_json::from_value::<ApiPodStatusResponseSshConnection>(json!(5))
        .unwrap_err()
        .to_string();
    assert!(
        none.contains(
            "did not match any variant of untagged enum ApiPodStatusResponseSshConnection"
        ),
        "{none}"
    );
}
