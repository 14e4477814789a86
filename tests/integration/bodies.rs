//! A request body of every shape (scalar, string, enum, nullable, array, map, union, any
//! value, object; JSON, form, multipart, binary, text; required and optional) through the
//! crate generated from `tests/fixtures/features.yaml` (its `bodies` tag), against an axum
//! server. Required bodies are echoed back byte for byte with their content type, so each
//! one is encoded by the client, sent, and decoded by the client again; optional ones are
//! reported as the server read them, with and without a body.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use features_api::Client;
use features_api::types::{
    Color, EchoShapesRequest, EchoShapesResponse, EchoUnionRequest, EchoUnionResponse, Label,
    MultipartMultipart, Point, Received, SendMultipartMultipart, SendShapesRequest,
    SendUnionRequest,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Sends the body back as it came, with its content type, also in `x-received-type`.
async fn echo(request: Request) -> Response {
    let content_type = header(&request);
    let body = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .unwrap();
    let mut response = body.into_response();
    if let Some(t) = content_type {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, t.parse().unwrap());
        response
            .headers_mut()
            .insert("x-received-type", t.parse().unwrap());
    }
    response
}

/// Reports what arrived: the content type and the raw body, or a multipart body's parts.
async fn report(request: Request) -> axum::Json<Value> {
    let content_type = header(&request);
    if content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("multipart/form-data"))
    {
        let mut multipart = Multipart::from_request(request, &()).await.unwrap();
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.unwrap() {
            let name = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().map(String::from);
            let part_type = field.content_type().map(String::from);
            let text = String::from_utf8(field.bytes().await.unwrap().to_vec()).unwrap();
            parts.push(json!({
                "name": name, "file_name": file_name, "content_type": part_type, "text": text,
            }));
        }
        return axum::Json(json!({"content_type": content_type, "body": "", "parts": parts}));
    }
    let body: Bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .unwrap();
    axum::Json(json!({
        "content_type": content_type,
        "body": String::from_utf8(body.to_vec()).unwrap(),
    }))
}

fn header(request: &Request) -> Option<String> {
    request
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
}

async fn client() -> Client {
    let app = Router::new()
        .route(
            "/v1/bodies/json/{shape}",
            axum::routing::post(echo).put(report).patch(report),
        )
        .route("/v1/bodies/binary", axum::routing::post(echo).put(report))
        .route("/v1/bodies/text", axum::routing::post(echo).put(report))
        .route(
            "/v1/bodies/form/{shape}",
            axum::routing::post(report).put(report),
        )
        .route(
            "/v1/bodies/multipart",
            axum::routing::post(report).put(report),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .max_retries(0)
        .build()
        .unwrap()
}

/// The JSON a report says arrived, checked to have been sent as JSON.
fn sent_json(received: &Received) -> Value {
    assert_eq!(received.content_type.as_deref(), Some("application/json"));
    serde_json::from_str(&received.body).unwrap()
}

/// What a report says of a request without a body.
fn assert_no_body(received: &Received) {
    assert_eq!(received.content_type, None);
    assert_eq!(received.body, "");
}

/// Echoes a required JSON body and checks the server saw `wire` as JSON, and the client
/// read back the value it sent.
macro_rules! echo {
    ($client:expr, $method:ident, $value:expr, $wire:expr) => {{
        let response = $client.$method($value).await.unwrap();
        assert_eq!(
            response.headers()["x-received-type"],
            "application/json",
            "{}",
            stringify!($method)
        );
        let value = response.into_inner();
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            $wire,
            "{}",
            stringify!($method)
        );
        value
    }};
}

#[tokio::test]
async fn required_json_bodies_of_every_shape_round_trip() {
    let c = client().await;
    let point = Point { x: 1, y: -2 };
    assert_eq!(
        echo!(
            c,
            echo_integer_with_response,
            9_007_199_254_740_993,
            json!(9_007_199_254_740_993_i64)
        ),
        9_007_199_254_740_993
    );
    assert_eq!(echo!(c, echo_int32_with_response, -7, json!(-7)), -7);
    assert_eq!(echo!(c, echo_number_with_response, 1.5, json!(1.5)), 1.5);
    assert_eq!(echo!(c, echo_float_with_response, 0.25, json!(0.25)), 0.25);
    assert!(!echo!(c, echo_boolean_with_response, false, json!(false)));
    assert_eq!(
        echo!(
            c,
            echo_string_with_response,
            "a \"quoted\" é",
            json!("a \"quoted\" é")
        ),
        "a \"quoted\" é"
    );
    assert_eq!(
        echo!(c, echo_enum_with_response, &Color::Green, json!("green")),
        Color::Green
    );
    assert_eq!(
        echo!(c, echo_nullable_with_response, &None, json!(null)),
        None
    );
    assert_eq!(
        echo!(c, echo_nullable_with_response, &Some(3), json!(3)),
        Some(3)
    );
    assert_eq!(
        echo!(c, echo_array_with_response, &[1, 2, 3], json!([1, 2, 3])),
        vec![1, 2, 3]
    );
    assert_eq!(
        echo!(c, echo_array_with_response, &[], json!([])),
        Vec::<i64>::new()
    );
    assert_eq!(
        echo!(
            c,
            echo_objects_with_response,
            std::slice::from_ref(&point),
            json!([{"x": 1, "y": -2}])
        ),
        vec![point.clone()]
    );
    let map = BTreeMap::from([("a".to_string(), 1), ("b c".to_string(), 2)]);
    assert_eq!(
        echo!(c, echo_map_with_response, &map, json!({"a": 1, "b c": 2})),
        map
    );
    assert_eq!(
        echo!(
            c,
            echo_union_with_response,
            &EchoUnionRequest::Integer(4),
            json!(4)
        ),
        EchoUnionResponse::Integer(4)
    );
    assert_eq!(
        echo!(
            c,
            echo_union_with_response,
            &EchoUnionRequest::String("4".into()),
            json!("4")
        ),
        EchoUnionResponse::String("4".into())
    );
    assert_eq!(
        echo!(
            c,
            echo_shapes_with_response,
            &EchoShapesRequest::Label(Label { text: "hi".into() }),
            json!({"text": "hi"})
        ),
        EchoShapesResponse::Label(Label { text: "hi".into() })
    );
    assert_eq!(
        echo!(
            c,
            echo_shapes_with_response,
            &EchoShapesRequest::Point(point.clone()),
            json!({"x": 1, "y": -2})
        ),
        EchoShapesResponse::Point(point.clone())
    );
    let any = json!({"nested": [1, "two", null, {"three": 3.5}]});
    assert_eq!(echo!(c, echo_any_with_response, &any, any.clone()), any);
    assert_eq!(
        echo!(
            c,
            echo_object_with_response,
            &point,
            json!({"x": 1, "y": -2})
        ),
        point
    );
}

#[tokio::test]
async fn a_json_body_goes_with_its_documented_json_media_type() {
    // `application/merge-patch+json` is JSON to serde and to the method's type, and the
    // server is told which JSON it is.
    let received = client()
        .await
        .patch_object(&Point { x: 5, y: 6 })
        .await
        .unwrap();
    assert_eq!(
        received.content_type.as_deref(),
        Some("application/merge-patch+json")
    );
    assert_eq!(
        serde_json::from_str::<Value>(&received.body).unwrap(),
        json!({"x": 5, "y": 6})
    );
}

#[tokio::test]
async fn optional_json_bodies_of_every_shape_are_sent_or_left_out() {
    let c = client().await;
    let point = Point { x: 3, y: 4 };
    let map = BTreeMap::from([("k".to_string(), 5)]);
    let sent = [
        (
            sent_json(&c.send_integer(Some(-1)).await.unwrap()),
            json!(-1),
        ),
        (sent_json(&c.send_int32(Some(2)).await.unwrap()), json!(2)),
        (
            sent_json(&c.send_number(Some(2.5)).await.unwrap()),
            json!(2.5),
        ),
        (
            sent_json(&c.send_float(Some(-0.5)).await.unwrap()),
            json!(-0.5),
        ),
        (
            sent_json(&c.send_boolean(Some(true)).await.unwrap()),
            json!(true),
        ),
        (
            sent_json(&c.send_string(Some("s")).await.unwrap()),
            json!("s"),
        ),
        (
            sent_json(
                &c.send_enum(Some(&Color::Unknown("blue".into())))
                    .await
                    .unwrap(),
            ),
            json!("blue"),
        ),
        // Present but null is not absent: the body is the JSON `null`.
        (
            sent_json(&c.send_nullable(Some(&None)).await.unwrap()),
            json!(null),
        ),
        (
            sent_json(&c.send_array(Some(&[7])).await.unwrap()),
            json!([7]),
        ),
        (
            sent_json(
                &c.send_objects(Some(std::slice::from_ref(&point)))
                    .await
                    .unwrap(),
            ),
            json!([{"x": 3, "y": 4}]),
        ),
        (
            sent_json(&c.send_map(Some(&map)).await.unwrap()),
            json!({"k": 5}),
        ),
        (
            sent_json(
                &c.send_union(Some(&SendUnionRequest::String("u".into())))
                    .await
                    .unwrap(),
            ),
            json!("u"),
        ),
        (
            sent_json(
                &c.send_shapes(Some(&SendShapesRequest::Point(point.clone())))
                    .await
                    .unwrap(),
            ),
            json!({"x": 3, "y": 4}),
        ),
        (
            sent_json(&c.send_any(Some(&json!([true]))).await.unwrap()),
            json!([true]),
        ),
        (
            sent_json(&c.send_object(Some(&point)).await.unwrap()),
            json!({"x": 3, "y": 4}),
        ),
    ];
    for (i, (got, want)) in sent.iter().enumerate() {
        assert_eq!(got, want, "optional JSON body #{i}");
    }
    for received in [
        c.send_integer(None).await.unwrap(),
        c.send_int32(None).await.unwrap(),
        c.send_number(None).await.unwrap(),
        c.send_float(None).await.unwrap(),
        c.send_boolean(None).await.unwrap(),
        c.send_string(None).await.unwrap(),
        c.send_enum(None).await.unwrap(),
        c.send_nullable(None).await.unwrap(),
        c.send_array(None).await.unwrap(),
        c.send_objects(None).await.unwrap(),
        c.send_map(None).await.unwrap(),
        c.send_union(None).await.unwrap(),
        c.send_shapes(None).await.unwrap(),
        c.send_any(None).await.unwrap(),
        c.send_object(None).await.unwrap(),
    ] {
        assert_no_body(&received);
    }
}

/// A form body as `serde_urlencoded` (an independent reader) decodes it.
fn sent_form<T: serde::de::DeserializeOwned>(received: &Received) -> T {
    assert_eq!(
        received.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    serde_urlencoded::from_str(&received.body).unwrap()
}

#[tokio::test]
async fn form_bodies_of_an_object_and_a_map_are_sent_or_left_out() {
    #[derive(serde::Deserialize, PartialEq, Debug)]
    struct ServerPoint {
        x: i64,
        y: i64,
    }
    let c = client().await;
    let point = Point { x: -5, y: 6 };
    let sent: ServerPoint = sent_form(&c.form_object(&point).await.unwrap());
    assert_eq!(sent, ServerPoint { x: -5, y: 6 });
    let sent: ServerPoint = sent_form(&c.send_form_object(Some(&point)).await.unwrap());
    assert_eq!(sent, ServerPoint { x: -5, y: 6 });
    let map = BTreeMap::from([("a b".to_string(), 1), ("c&d".to_string(), 2)]);
    let sent: BTreeMap<String, i64> = sent_form(&c.form_map(&map).await.unwrap());
    assert_eq!(sent, map);
    let sent: BTreeMap<String, i64> = sent_form(&c.send_form_map(Some(&map)).await.unwrap());
    assert_eq!(sent, map);
    assert_no_body(&c.send_form_object(None).await.unwrap());
    assert_no_body(&c.send_form_map(None).await.unwrap());
}

#[tokio::test]
async fn multipart_bodies_are_sent_part_by_part_or_left_out() {
    let c = client().await;
    let parts = |r: Received| -> Vec<Value> {
        assert!(
            r.content_type
                .as_deref()
                .is_some_and(|t| t.starts_with("multipart/form-data; boundary=")),
            "{:?}",
            r.content_type
        );
        r.parts
            .unwrap()
            .into_iter()
            .map(|p| serde_json::to_value(p).unwrap())
            .collect()
    };
    let required = MultipartMultipart {
        file: features_api::FilePart::new(b"abc".to_vec()).file_name("a.txt"),
        note: Some("n".into()),
        count: Some(3),
    };
    assert_eq!(
        parts(c.multipart(&required).await.unwrap()),
        [
            json!({"name": "file", "file_name": "a.txt", "content_type": "text/plain", "text": "abc"}),
            json!({"name": "note", "text": "n"}),
            json!({"name": "count", "text": "3"}),
        ]
    );
    let optional = SendMultipartMultipart {
        file: features_api::FilePart::new(b"xyz".to_vec()),
        note: None,
        count: None,
    };
    assert_eq!(
        parts(c.send_multipart(Some(&optional)).await.unwrap()),
        [
            json!({"name": "file", "file_name": "file", "content_type": "application/octet-stream", "text": "xyz"}),
        ]
    );
    assert_no_body(&c.send_multipart(None).await.unwrap());
}

#[tokio::test]
async fn binary_and_text_bodies_round_trip_or_are_left_out() {
    let c = client().await;
    let bytes: Vec<u8> = (0..=255).collect();
    let response = c.echo_binary_with_response(bytes.clone()).await.unwrap();
    assert_eq!(
        response.headers()["x-received-type"],
        "application/octet-stream"
    );
    assert_eq!(response.into_inner(), bytes);
    let response = c.echo_text_with_response("línea\n").await.unwrap();
    assert_eq!(response.headers()["x-received-type"], "text/plain");
    assert_eq!(response.into_inner(), "línea\n");

    let sent = c
        .send_binary(Some(features_api::Upload::from(b"raw".to_vec())))
        .await
        .unwrap();
    assert_eq!(
        (sent.content_type.as_deref(), sent.body.as_str()),
        (Some("application/octet-stream"), "raw")
    );
    let sent = c.send_text(Some("plain")).await.unwrap();
    assert_eq!(
        (sent.content_type.as_deref(), sent.body.as_str()),
        (Some("text/plain"), "plain")
    );
    assert_no_body(&c.send_binary(None).await.unwrap());
    assert_no_body(&c.send_text(None).await.unwrap());
}
