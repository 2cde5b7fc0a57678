package org.tandem.registry.persistence;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "organisation_confidential_address")
public class ConfidentialAddressEntity extends PanacheEntityBase {

    @Id
    @Column(name = "organisation_id")
    public UUID organisationId;

    @Column(nullable = false)
    public String street;

    @Column(name = "postal_code")
    public String postalCode;

    @Column(nullable = false)
    public String locality;

    @Column(nullable = false, columnDefinition = "char(2)")
    public String country;
}
