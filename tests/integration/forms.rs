//! Form bodies and structured parameters through the crate generated from
//! `tests/fixtures/features.yaml`, decoded by a real server: axum with `serde_qs`'s form and
//! query extractors, which read nested brackets as Rails, PHP and `qs` servers do.

use axum::Router;
use axum::extract::Extension;
use axum::http::HeaderMap;
use features_api::Client;
use features_api::types::{
    ChargeForm, ChargeFormItemsItem, ChargeFormOptions, ChargeFormShipping,
    ChargeFormShippingAddress,
};
use features_api::types::{
    SearchFilter, SearchPage, SearchParams, SearchSort, SearchXColor, WorkflowRunsWorkflowId,
};
use serde::{Deserialize, Serialize};
use serde_qs::axum::{QsForm, QsQuery, QsQueryConfig};
use std::collections::BTreeMap;

/// The server's own reading of the charge: its types, not the client's.
#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Charge {
    content_type: Option<String>,
    amount: i64,
    description: Option<String>,
    #[serde(default)]
    expand: Vec<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    #[serde(default)]
    items: Vec<Item>,
    shipping: Option<Shipping>,
    /// `pipeDelimited`: one value.
    tags: Option<String>,
    /// No encoding of its own: an object goes as JSON text.
    options: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Item {
    price: String,
    quantity: Option<i64>,
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Shipping {
    name: Option<String>,
    address: BTreeMap<String, String>,
}

async fn charge(headers: HeaderMap, QsForm(mut charge): QsForm<Charge>) -> axum::Json<Charge> {
    charge.content_type = headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    axum::Json(charge)
}

async fn client() -> Client {
    // Form encoding: keys are percent-decoded before their brackets are read.
    let config = QsQueryConfig::new().config(serde_qs::Config::new().use_form_encoding(true));
    let app = Router::new()
        .route("/v1/charges", axum::routing::post(charge))
        .route("/v1/search", axum::routing::get(search))
        .route("/v1/workflows/{id}/runs/{ids}", axum::routing::get(runs))
        .layer(Extension(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_nested_form_body_arrives_as_the_server_decodes_it() {
    let client = client().await;
    let body = ChargeForm {
        amount: 2000,
        description: Some(String::new()),
        expand: Some(vec!["customer".into(), "invoice.subscription".into()]),
        metadata: Some(BTreeMap::from([
            ("order_id".to_string(), "6735".to_string()),
            ("note".to_string(), "a&b=c [d] é".to_string()),
            ("empty".to_string(), String::new()),
        ])),
        items: Some(vec![
            ChargeFormItemsItem {
                price: "price_1".into(),
                quantity: Some(2),
            },
            ChargeFormItemsItem {
                price: "price_2".into(),
                quantity: None,
            },
        ]),
        shipping: Some(ChargeFormShipping {
            name: Some("Jenny Rosen".into()),
            address: Some(ChargeFormShippingAddress {
                line1: Some("1 Main St".into()),
                city: Some("Köln".into()),
            }),
        }),
        tags: Some(vec!["a".into(), "b".into()]),
        options: Some(ChargeFormOptions { fast: Some(true) }),
    };
    let seen = client.create_charge(&body).await.unwrap();
    let seen: Charge = serde_json::from_value(seen).unwrap();
    let expected = Charge {
        content_type: Some("application/x-www-form-urlencoded".into()),
        amount: 2000,
        description: Some(String::new()),
        expand: vec!["customer".into(), "invoice.subscription".into()],
        metadata: BTreeMap::from([
            ("order_id".to_string(), "6735".to_string()),
            ("note".to_string(), "a&b=c [d] é".to_string()),
            ("empty".to_string(), String::new()),
        ]),
        items: vec![
            Item {
                price: "price_1".into(),
                quantity: Some(2),
            },
            Item {
                price: "price_2".into(),
                quantity: None,
            },
        ],
        shipping: Some(Shipping {
            name: Some("Jenny Rosen".into()),
            address: BTreeMap::from([
                ("line1".to_string(), "1 Main St".to_string()),
                ("city".to_string(), "Köln".to_string()),
            ]),
        }),
        tags: Some("a|b".into()),
        options: Some(r#"{"fast":true}"#.into()),
    };
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn a_minimal_form_body_sends_only_what_is_set() {
    let client = client().await;
    let body = ChargeForm {
        amount: 1,
        description: None,
        expand: None,
        metadata: None,
        items: None,
        shipping: None,
        tags: None,
        options: None,
    };
    let seen: Charge = serde_json::from_value(client.create_charge(&body).await.unwrap()).unwrap();
    assert_eq!(seen.amount, 1);
    assert_eq!(seen.description, None);
    assert!(seen.expand.is_empty() && seen.metadata.is_empty() && seen.items.is_empty());
}

/// The server's reading of the search parameters.
#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Search {
    filter: Option<Filter>,
    /// `page`, a `form` object exploded: its properties are parameters of their own.
    size: Option<i64>,
    cursor: Option<String>,
    piped: Option<String>,
    sort: Option<String>,
    color: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Filter {
    name: String,
    tags: Vec<String>,
}

async fn search(headers: HeaderMap, QsQuery(mut search): QsQuery<Search>) -> axum::Json<Search> {
    search.color = headers
        .get("x-color")
        .map(|v| v.to_str().unwrap().to_string());
    axum::Json(search)
}

#[tokio::test]
async fn object_and_array_parameters_arrive_as_their_style_says() {
    let client = client().await;
    let params = SearchParams {
        filter: Some(SearchFilter {
            name: Some("gpu & co".into()),
            tags: Some(vec!["h100".into(), "a100".into()]),
        }),
        page: Some(SearchPage {
            size: Some(50),
            cursor: Some("abc=".into()),
        }),
        piped: Some(vec!["x".into(), "y".into()]),
        sort: Some(SearchSort {
            field: Some("price".into()),
            desc: Some(true),
        }),
        // One property: the order of several follows serde_json's map, which depends on
        // its `preserve_order` feature.
        x_color: Some(SearchXColor {
            r: Some(1),
            g: None,
        }),
    };
    let seen: Search = serde_json::from_value(client.search(params).await.unwrap()).unwrap();
    let expected = Search {
        filter: Some(Filter {
            name: "gpu & co".into(),
            tags: vec!["h100".into(), "a100".into()],
        }),
        size: Some(50),
        cursor: Some("abc=".into()),
        piped: Some("x|y".into()),
        sort: Some(r#"{"field":"price","desc":true}"#.into()),
        // `style: simple`, exploded.
        color: Some("r=1".into()),
    };
    assert_eq!(seen, expected);
}

/// The two path segments, percent-decoded by axum.
async fn runs(
    axum::extract::Path(segments): axum::extract::Path<(String, String)>,
) -> axum::Json<(String, String)> {
    axum::Json(segments)
}

#[tokio::test]
async fn unions_and_arrays_in_the_path_are_written_simple() {
    let client = client().await;
    let seen = client
        .workflow_runs(&WorkflowRunsWorkflowId::Integer(42), &[1, 2])
        .await
        .unwrap();
    assert_eq!(seen, serde_json::json!(["42", "1,2"]));
    let seen = client
        .workflow_runs(&WorkflowRunsWorkflowId::String("ci/main.yml".into()), &[3])
        .await
        .unwrap();
    assert_eq!(seen, serde_json::json!(["ci/main.yml", "3"]));
}
