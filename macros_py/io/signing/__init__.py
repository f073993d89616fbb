"""Electronic signatures: keys and certificates (keys), PAdES signatures in PDFs (pades), detached CMS (cms)."""
