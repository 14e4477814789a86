//! A multipart upload (a file streamed from disk, bytes from memory, text and JSON fields)
//! and a form-encoded call with nested fields.
//! `cargo run -p features-api --example upload -- URL FILE` (URL: a server of
//! `tests/fixtures/features.yaml`).

use features_api::types::{
    ChargeForm, ChargeFormItemsItem, UploadFilesMultipart, UploadFilesMultipartMetadata,
    UploadFilesMultipartPurpose,
};
use features_api::{Client, FilePart};
use std::collections::BTreeMap;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base_url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080/v1".into());
    let file = args.next().unwrap_or_else(|| "Cargo.toml".into());
    let client = Client::builder().base_url(&base_url).build()?;

    let upload = UploadFilesMultipart {
        // Streamed from disk with its length; named and typed from the path unless set.
        file: FilePart::path(&file),
        attachments: Some(vec![
            FilePart::new(b"notes".to_vec())
                .file_name("notes.txt")
                .content_type("text/plain"),
        ]),
        purpose: UploadFilesMultipartPurpose::FineTune,
        tags: Some(vec!["example".into()]),
        count: Some(1),
        metadata: Some(UploadFilesMultipartMetadata {
            owner: Some("me".into()),
        }),
    };
    println!("upload: {}", client.upload_files(&upload).await?);

    // `metadata[order]=6735&items[0][price]=price_1&...`, as the API's encoding says.
    let charge = ChargeForm {
        amount: 2000,
        description: None,
        expand: Some(vec!["customer".into()]),
        metadata: Some(BTreeMap::from([("order".into(), "6735".into())])),
        items: Some(vec![ChargeFormItemsItem {
            price: "price_1".into(),
            quantity: Some(2),
        }]),
        shipping: None,
        tags: None,
        options: None,
    };
    println!("charge: {}", client.create_charge(&charge).await?);
    Ok(())
}
